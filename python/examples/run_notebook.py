"""Executes a notebook headless (nbclient), as CI does, so that it cannot rot: any cell that
raises (an assertion that theory and simulation disagree, an API that changed) fails the run.

    python python/examples/run_notebook.py python/examples/queueing_101.ipynb [OUT.ipynb]
"""

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def main():
    path = Path(sys.argv[1])
    notebook = nbformat.read(path, as_version=4)
    NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    if len(sys.argv) > 2:
        nbformat.write(notebook, sys.argv[2])
    cells = [c for c in notebook.cells if c.cell_type == "code"]
    print(f"{path.name}: {len(cells)} code cells ran without error")


if __name__ == "__main__":
    main()
