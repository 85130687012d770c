"""Ships the top-level data folders (resources/, ui/, printing/) inside the wheel.

The design card keeps them beside the package so a provincial administrator can read and edit them
without Python; a wheel must carry them, so the build copies them to ``houshi_desk/_data/``.
``houshi_desk.resources.resource_path`` looks there first and falls back to the checkout.
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DATA_FOLDERS = ("resources", "ui", "printing")


class BuildWithData(build_py):
    def run(self):
        super().run()
        here = Path(__file__).resolve().parent
        target = Path(self.build_lib) / "houshi_desk" / "_data"
        for name in DATA_FOLDERS:
            src = here / name
            if src.is_dir():
                shutil.copytree(src, target / name, dirs_exist_ok=True)


setup(cmdclass={"build_py": BuildWithData})
