import sys
from pathlib import Path

# the fake stages live beside the pipeline tests
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "pipeline"))
