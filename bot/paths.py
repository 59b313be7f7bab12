"""Where the bot's content (locales/, data/) lives.

In a checkout or an editable install they are the top-level `locales/` and `data/` folders beside
the package, where staff edit them. A built wheel (`pip install .`) carries copies inside the package
as `bot/_content/` (see setup.py). Settings can point elsewhere: KNOWLEDGE_DIR, LOCALES_DIR.
"""

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = PACKAGE_DIR.parent  # the checkout (repository root) when running from source
BUNDLED_DIR = PACKAGE_DIR / "_content"


def content_root(checkout: Path = ROOT, bundled: Path = BUNDLED_DIR) -> Path:
    """The checkout's folders if this is a checkout, else the copies shipped in the wheel."""
    if (checkout / "pyproject.toml").is_file() and (checkout / "locales").is_dir():
        return checkout
    return bundled


CONTENT_DIR = content_root()
LOCALES_DIR = CONTENT_DIR / "locales"
DATA_DIR = CONTENT_DIR / "data"
KNOWLEDGE_DIR = DATA_DIR / "knowledge"
EVENTS_DIR = DATA_DIR / "events"
