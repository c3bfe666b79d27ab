#!/usr/bin/env python3
"""PyAMG's smoothed-aggregation results, as test/fixtures/pyamg-amg.json.

    python3 tools/pyamg-reference.py > test/fixtures/pyamg-amg.json

Needs PyAMG (5.3.0 was used: `pip install pyamg`; it is not a Debian 12 package) and SciPy.
The cases are PyAMG's own tests, pyamg/aggregation/tests/test_aggregation.py:
- `TestSolverPerformance.test_basic`, the Poisson cases with Jacobi prolongator smoothing:
  poisson((5000,)) (c_factor 0.4) and poisson((60, 60)) (0.42), smoothed_aggregation_solver
  (A, max_coarse=10), solve(b, x0, maxiter=20, tol=1e-10), ratio (r_last / r_0)^(1/len(r));
  and its elasticity case, linear_elasticity((50, 50)) with its B (c_factor 0.32).
- `test_DAD`: D·A·D for poisson((50, 50)) with D = diag(1/√(10^(12u − 6))), B = D⁻¹·1,
  max_coarse=1, max_levels=2, coarse_solver='splu', solve(b, x0, maxiter=10, tol=1e-12):
  the bound is 0.25.
PyAMG draws x0, b and D from numpy's random generator; here they come from the LCG that
test/amg.test.js also implements (s ← 1103515245·s + 12345 mod 2³², u = s / 2³²), in the
order x0, then the vector b is A times (or b itself for DAD), then D, so that the test
runs on the very same inputs. Also recorded: every level's rows and stored entries, the
operator complexity, the aggregates of a few matrices (standard_aggregation of the
symmetric strength matrix, θ = 0), and linear_elasticity((3, 3)) itself, which the test
compares with gallery.linearElasticity.
"""
import json
import platform
import sys

import numpy as np
import pyamg
import scipy
import scipy.io
from pyamg.gallery import linear_elasticity, poisson
from scipy import sparse


class Lcg:
    def __init__(self, seed):
        self.s = seed

    def uniform(self, n):
        out = np.empty(n)
        for i in range(n):
            self.s = (self.s * 1103515245 + 12345) % 2**32
            out[i] = self.s / 2**32
        return out


def hierarchy(ml):
    return {
        "levels": [[int(lv.A.shape[0]), int(lv.A.nnz)] for lv in ml.levels],
        "operatorComplexity": ml.operator_complexity(),
    }


def solve(ml, b, x0, maxiter, tol):
    residuals = []
    ml.solve(b, x0=x0, maxiter=maxiter, tol=tol, residuals=residuals)
    return {
        "cycles": len(residuals) - 1,
        "ratio": (residuals[-1] / residuals[0]) ** (1.0 / len(residuals)),
        "residuals": residuals,
    }


def basic(name, grid, A, B, c_factor, seed, blocksize=1):
    n = A.shape[0]
    rng = Lcg(seed)
    x0 = rng.uniform(n)
    b = A @ rng.uniform(n)
    ml = pyamg.smoothed_aggregation_solver(A, B, max_coarse=10)
    return {"name": name, "grid": grid, "seed": seed, "cFactor": c_factor, "blockSize": blocksize, **hierarchy(ml), **solve(ml, b, x0, 20, 1e-10)}


def dad(seed):
    A = poisson((50, 50), format="csr")
    n = A.shape[0]
    rng = Lcg(seed)
    x0 = rng.uniform(n)
    b = rng.uniform(n)
    d = 1.0 / np.sqrt(10 ** (12 * rng.uniform(n) - 6))
    D = sparse.diags_array(d).tocsr()
    DAD = (D @ A @ D).tocsr()
    out = {"seed": seed, "bound": 0.25}
    for label, B in (("withB", (1.0 / d).reshape(-1, 1)), ("constant", None)):
        ml = pyamg.smoothed_aggregation_solver(DAD, B, max_coarse=1, max_levels=2, coarse_solver="splu")
        out[label] = {**hierarchy(ml), **solve(ml, b, x0, 10, 1e-12)}
    return out


def aggregates(name, A):
    S = pyamg.strength.symmetric_strength_of_connection(A, 0.0)
    AggOp, _ = pyamg.aggregation.standard_aggregation(S)
    AggOp = AggOp.tocsr()
    of = np.full(A.shape[0], -1, dtype=int)
    rows, cols = AggOp.nonzero()
    of[rows] = cols
    return {"name": name, "count": int(AggOp.shape[1]), "of": of.tolist()}


def main():
    A1 = poisson((5000,), format="csr")
    A2 = poisson((60, 60), format="csr")
    E, EB = linear_elasticity((50, 50), format="bsr")
    small, smallB = linear_elasticity((3, 3), format="csr")
    small = small.tocsr()
    small.sort_indices()
    gr = sparse.csr_array(scipy.io.mmread("test/fixtures/matrices/gr_30_30.mtx").astype(float))
    gr.sort_indices()
    out = {
        "generator": "tools/pyamg-reference.py",
        "pyamg": pyamg.__version__,
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "basic": [
            basic("poisson((5000,))", [5000], A1, None, 0.4, 3009521727),
            basic("poisson((60, 60))", [60, 60], A2, None, 0.42, 2113979713),
            basic("linear_elasticity((50, 50))", [50, 50], E, EB, 0.32, 1234567, 2),
        ],
        "dad": dad(20250521),
        "aggregates": [aggregates("poisson((10, 10))", poisson((10, 10), format="csr")), aggregates("gr_30_30", gr)],
        "elasticity3x3": {
            "rows": int(small.shape[0]),
            "indptr": small.indptr.tolist(),
            "indices": small.indices.tolist(),
            "data": small.data.tolist(),
            "B": smallB.T.tolist(),
        },
    }
    json.dump(out, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
