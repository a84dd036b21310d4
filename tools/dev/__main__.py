"""Entry point: `python3 tools/dev ARGS` (what ./dev runs) or `python3 -m dev`."""

import sys
from pathlib import Path

if __package__:
    from .commands import main
else:
    # Run as `python3 tools/dev`: sys.path[0] is this directory. Import the
    # package from tools/ instead, so that its modules never shadow others.
    sys.path[0] = str(Path(__file__).resolve().parent.parent)
    from dev.commands import main

sys.exit(main())
