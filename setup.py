"""Build hook: ship the top-level locales/ and data/ inside the wheel as bot/_content/.

They stay at the top of the repository, where translators and staff edit them; bot/paths.py finds
them there in a checkout and in bot/_content/ in an installed wheel. Everything else is in
pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

CONTENT = ("locales", "data")


class BuildWithContent(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the checkout's folders directly
            return
        here = Path(__file__).resolve().parent
        for name in CONTENT:
            source = here / name
            if not source.is_dir():
                raise SystemExit(f"{source} is missing: cannot build a package without it")
            shutil.copytree(
                source,
                Path(self.build_lib) / "bot" / "_content" / name,
                dirs_exist_ok=True,
                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
            )


setup(cmdclass={"build_py": BuildWithContent})
