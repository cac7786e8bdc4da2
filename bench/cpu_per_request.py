"""CPU time a server's processes spend per request, read from /proc: a measure that other
work on the machine does not distort as much as wall-clock requests/s.

    python bench/cpu_per_request.py <pid>… -- <command printing "N requests">
Run by bench/run.sh around each wrk run.
"""

import os
import re
import subprocess
import sys


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    tick = os.sysconf("SC_CLK_TCK")
    for pid in pids:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def main() -> None:
    split = sys.argv.index("--")
    pids = [int(p) for p in sys.argv[1:split]]
    before = cpu_seconds(pids)
    output = subprocess.run(sys.argv[split + 1 :], capture_output=True, text=True).stdout
    used = cpu_seconds(pids) - before
    sys.stdout.write(output)
    match = re.search(r"(\d+) requests in", output)
    if match and int(match.group(1)):
        per_request = used / int(match.group(1)) * 1000
        cores = os.cpu_count() or 1
        print(
            f"    server CPU {per_request:.2f} ms/request: at most "
            f"{cores * 1000 / per_request:.0f} requests/s on {cores} idle cores"
        )


if __name__ == "__main__":
    main()
