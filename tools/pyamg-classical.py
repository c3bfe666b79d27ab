#!/usr/bin/env python3
"""Writes test/fixtures/pyamg-classical.json: PyAMG's classical AMG pieces on small problems,
the independent reference of test/amg-classical.test.js (PyAMG is not installed in CI).

    python3 tools/pyamg-classical.py        # PyAMG 5.3.0, SciPy, NumPy

For each matrix: the strength matrix (classical_strength_of_connection, norm='min', with the
diagonal removed as RS removes it), the RS splitting (RS(S, second_pass=False)), and P from
that splitting by direct_interpolation and classical_interpolation (modified=True).
"""
import json
import os

import numpy as np
import pyamg
from pyamg.classical.interpolate import classical_interpolation, direct_interpolation
from pyamg.classical.split import RS
from pyamg.gallery import poisson, stencil_grid
from pyamg.gallery.diffusion import diffusion_stencil_2d
from pyamg.strength import classical_strength_of_connection
from scipy import sparse


def csr(M):
    M = sparse.csr_array(M)
    M.sort_indices()
    return {"rows": int(M.shape[0]), "cols": int(M.shape[1]), "indptr": M.indptr.tolist(),
            "indices": M.indices.tolist(), "data": [float(v) for v in M.data]}


def case(name, A, theta=0.25):
    A = sparse.csr_array(A, dtype=np.float64)
    A.sort_indices()
    S = classical_strength_of_connection(A, theta=theta, norm="min")
    splitting = RS(S, second_pass=False)
    Sd = S.copy().tolil()
    Sd.setdiag(0)
    Sd = sparse.csr_array(Sd)
    Sd.eliminate_zeros()
    Sd.sort_indices()
    out = {"name": name, "theta": theta, "A": csr(A),
           "S": {"indptr": Sd.indptr.tolist(), "indices": Sd.indices.tolist()},
           "splitting": [int(v) for v in splitting]}
    out["direct"] = csr(direct_interpolation(A, S, splitting))
    out["classical"] = csr(classical_interpolation(A, S, splitting, modified=True))
    return out


def main():
    rng = np.random.default_rng(7)
    cases = [
        case("poisson([17])", poisson((17,))),
        case("poisson([9, 9])", poisson((9, 9))),
        case("poisson([12, 10])", poisson((12, 10))),
        case("poisson([5, 5, 5])", poisson((5, 5, 5))),
        case("stencilGrid(diffusion ε = 0.1, 30°, FE) on 10 × 10",
             stencil_grid(diffusion_stencil_2d(epsilon=0.1, theta=np.pi / 6, type="FE"), (10, 10))),
        case("stencilGrid(9-point anisotropic) on 8 × 8, θ = 0.5",
             stencil_grid(np.array([[-0.25, -1, -0.25], [-0.1, 3.2, -0.1], [-0.25, -1, -0.25]]), (8, 8)), theta=0.5),
    ]
    # A random SPD matrix: a weighted graph Laplacian plus a small shift.
    n = 60
    W = sparse.random(n, n, density=0.08, random_state=rng, data_rvs=lambda k: rng.uniform(0.1, 1.0, k))
    W = sparse.triu(W + W.T, 1)
    W = W + W.T
    L = sparse.diags(np.asarray(W.sum(axis=1)).ravel() + 0.01) - W
    cases.append(case("random SPD (graph Laplacian + 0.01 I, n = 60)", L))
    data = {"generator": f"tools/pyamg-classical.py (PyAMG {pyamg.__version__})", "cases": cases}
    path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "pyamg-classical.json")
    with open(path, "w") as f:
        json.dump(data, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {path}: {len(cases)} cases")


if __name__ == "__main__":
    main()
