#!/usr/bin/env python3
"""Brings Incentives.Core/PublicAPI.Unshipped.txt in line with the code: builds Core, adds every symbol the analyzer
reports as new (RS0016) and drops every listed symbol that no longer exists (RS0017). Review the diff: it is the change
to the public surface.  Usage: python3 tools/update-public-api.py"""
import re, subprocess, pathlib
root = pathlib.Path(__file__).resolve().parent.parent
out = subprocess.run(["dotnet", "build", str(root / "Incentives.Core"), "--no-incremental"], capture_output=True, text=True).stdout
added = set(re.findall(r"RS0016: Symbol '(.*?)' is not part of the declared public API", out))
removed = set(re.findall(r"RS0017: Symbol '(.*?)' is part of the declared API", out))
path = root / "Incentives.Core" / "PublicAPI.Unshipped.txt"
lines = [l for l in path.read_text(encoding="utf-8").splitlines()[1:] if l and l not in removed]
path.write_text("#nullable enable\n" + "\n".join(sorted(set(lines) | added)) + "\n", encoding="utf-8")
print(f"added {len(added)}, removed {len(removed)}")
