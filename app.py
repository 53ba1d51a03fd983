"""Easy Mall Strategy Studio — entry point: the shared frame and navigation, nothing else."""
from easymall.ui.frame import run

run()
