"""The two kinds of failure Handrail reports.

`UserError` is the user's to fix (a bad file, an empty question, no index yet): the CLI prints its
message as one line and exits with code 2. `RuntimeFault` is ours or the environment's (a model
server down): one line too, exit code 1. Neither shows a traceback.
"""


class HandrailError(Exception):
    exit_code = 1


class UserError(HandrailError):
    exit_code = 2


class RuntimeFault(HandrailError):
    exit_code = 1
