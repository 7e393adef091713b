"""Run every benchmark in this folder (``make bench``); exit non-zero if one misses its target."""

import subprocess
import sys
from pathlib import Path

here = Path(__file__).parent
failed = [script.name for script in sorted(here.glob("bench_*.py"))
          if subprocess.run([sys.executable, str(script)]).returncode != 0]
if failed:
    print("missed their targets: " + ", ".join(failed))
sys.exit(1 if failed else 0)
