"""Writes an .npz whose images are float64 (numpy's default), which RobustLab refuses. usage: make_float64_npz.py FILE"""
import sys

import numpy as np

np.savez(sys.argv[1], images=np.zeros((4, 3, 28, 28)), labels=np.zeros(4, dtype=np.int64))
