"""``python -m mss_desk`` — the same as the ``mss-desk`` command."""

import sys

from mss_desk.cli import main

if __name__ == "__main__":
    sys.exit(main())
