"""``python -m mss_desk.cli`` — the same as ``mss-desk`` (and ``python -m mss_desk``)."""

import sys

from mss_desk.cli import main

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
