"""Where the repository's content lives (overridable by configuration)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALES_DIR = ROOT / "locales"
DATA_DIR = ROOT / "data"
KNOWLEDGE_DIR = DATA_DIR / "knowledge"
EVENTS_DIR = DATA_DIR / "events"
