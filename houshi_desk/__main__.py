import sys

from houshi_desk.cli import main

sys.exit(main())
