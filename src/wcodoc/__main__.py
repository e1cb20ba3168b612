"""Allow ``python -m wcodoc``."""

from wcodoc.cli import main

if __name__ == "__main__":
    main()
