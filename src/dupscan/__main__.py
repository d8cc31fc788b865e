import sys

from dupscan.cli import run

sys.exit(run())
