import sys

from easymall.cli import main

sys.exit(main())
