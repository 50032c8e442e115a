import sys

from mesoguide.cli import main

sys.exit(main())
