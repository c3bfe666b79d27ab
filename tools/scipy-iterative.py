#!/usr/bin/env python3
"""SciPy's expectations for gmres, bicgstab and minres, as test/fixtures/scipy-iterative.json.

    /usr/bin/python3 tools/scipy-iterative.py > test/fixtures/scipy-iterative.json
    (or `node tools/scipy-iterative.mjs`, which installs Debian's python3-scipy first)

Ports the cases of SciPy's own tests, scipy/sparse/linalg/_isolve/tests/test_iterative.py
as shipped in the SciPy it runs with (Debian 12's python3-scipy 1.10.1: `class
IterativeParams`, `check_convergence`, `check_precond_inverse`, `test_x0_working`,
`test_zero_rhs`, `TestGMRES`), for the three solvers solvewasm has, in float64 only
(solvewasm is real float64: the float32 duplicates and the complex cases are listed under
"omitted"). For every case it records the matrix (dense values for the small random ones,
a construction name for the Poisson ones, with checks), b, x0, SciPy's tolerance, what
SciPy's test expects (converge, fail, or skip: its `skip` and `nonconvergence` lists) and
what SciPy did: info, iterations, matrix products and the final true relative residual.

Counting: `iterations` for gmres is the number of callback_type='pr_norm' calls (one per
inner Arnoldi step: solvewasm's `maxiter` unit; SciPy's own `maxiter` counts restart
cycles); for bicgstab and minres the number of callback(x) calls (one per iteration; a
BiCGSTAB iteration does two products). `matvecs` counts every product with A, including
SciPy's initial and restart residuals. `firstPassing` (bicgstab, minres) is the first
iteration whose iterate meets solvewasm's test ‖b − A·x‖ ≤ rtol·‖b‖, from a second run
with rtol/1e6 (SciPy 1.10's minres stops on its own test ‖r‖ ≤ rtol·‖A‖·‖x‖, not this).

Stopping rule used here: SciPy's test calls solver(A, b, x0=0*b, tol=1e-8) with the
default atol ('legacy' in 1.10 = tol·‖b‖ since ‖b‖ > tol); this script passes atol=0.0,
which is the same rule, ‖r‖ ≤ tol·‖b‖, without the deprecation warning. gmres uses SciPy
1.10's default restart, 20 (recorded per case), as its test does.

Also the nonsymmetric SuiteSparse matrices orsirr_1 and sherman5 (test/fixtures/matrices):
b = A·1, x0 = 0, rtol 1e-8, atol 0: gmres(restart 30, at most 1000 cycles), bicgstab
(default maxiter 10n) and gmres(restart 30) with M = spilu(A, drop_tol=1e-4,
fill_factor=10) as a LinearOperator (SciPy's gmres preconditions on the left; SuperLU's
spilu permutes columns with COLAMD and pivots rows), with nnz(L) + nnz(U).
"""
import json
import os
import platform
import sys
import warnings

import numpy as np
import scipy
import scipy.io
import scipy.sparse as sp
from scipy.sparse.linalg import LinearOperator, bicgstab, gmres, minres, spilu

warnings.simplefilter("ignore", DeprecationWarning)
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
TOL = 1e-8
GMRES_RESTART = 20  # SciPy 1.10's default (restrt = 20)


def floats(v):
    return [float(x) for x in np.asarray(v, dtype=float).ravel()]


def dense(A):
    A = A.toarray() if sp.issparse(A) else np.asarray(A)
    return [floats(r) for r in A]


def counted(A):
    """A as a LinearOperator that counts its products."""
    M = sp.csr_matrix(A) if sp.issparse(A) else np.asarray(A, dtype=float)
    count = [0]

    def mv(x):
        count[0] += 1
        return M @ x

    return LinearOperator(M.shape, matvec=mv, rmatvec=lambda x: M.T @ x, dtype=float), count


def relres(A, x, b):
    nb = np.linalg.norm(b)
    r = np.linalg.norm(b - A @ x)
    return float(r / nb) if nb > 0 else float(r)


def run(solver, A, b, x0, tol, restart=None, M=None, maxiter=None):
    """One SciPy solve with atol = 0: info, iterations, matvecs, true relative residual."""
    op, count = counted(A)
    its = [0]

    def cb(_):
        its[0] += 1

    kw = dict(x0=x0, tol=tol, M=M, callback=cb)
    if maxiter is not None:
        kw["maxiter"] = maxiter
    if solver is gmres:
        x, info = gmres(op, b, restart=restart, atol=0.0, callback_type="pr_norm", **kw)
    elif solver is bicgstab:
        x, info = bicgstab(op, b, atol=0.0, **kw)
    else:
        x, info = minres(op, b, **kw)
    out = {"info": int(info), "converged": info == 0, "iterations": its[0], "matvecs": count[0], "relres": relres(A, x, b)}
    out["finite"] = bool(np.all(np.isfinite(x)))
    return out, x


def first_passing(solver, A, b, x0, tol):
    """First iteration whose iterate meets ‖b − A·x‖ ≤ tol·‖b‖ (None if none within maxiter)."""
    nb = np.linalg.norm(b)
    state = {"k": 0, "first": None}

    def cb(x):
        state["k"] += 1
        if state["first"] is None and np.linalg.norm(b - A @ x) <= tol * nb:
            state["first"] = state["k"]

    if solver is bicgstab:
        bicgstab(A, b, x0=x0, tol=tol * 1e-6, atol=0.0, callback=cb)
    else:
        minres(A, b, x0=x0, tol=tol * 1e-6, callback=cb)
    return state["first"]


def maxiter_one(solver, A, b, x0):
    """SciPy's check_maxiter: maxiter=1, tol 1e-12: one callback, info 1."""
    its = [0]

    def cb(_):
        its[0] += 1

    if solver is gmres:
        # legacy callback: maxiter=1 is one inner step's report; solvewasm: maxiter 1 inner iteration
        _, info = gmres(A, b, x0=x0, tol=1e-12, maxiter=1, callback=cb, callback_type="legacy")
    elif solver is bicgstab:
        _, info = bicgstab(A, b, x0=x0, tol=1e-12, maxiter=1, callback=cb)
    else:
        _, info = minres(A, b, x0=x0, tol=1e-12, maxiter=1, callback=cb)
    return {"callbacks": its[0], "info": int(info)}


# --- IterativeParams (float64, real), as in SciPy 1.10.1's test_iterative.py -------------
SOLVERS = {"gmres": gmres, "bicgstab": bicgstab, "minres": minres}
N = 40
P1 = sp.diags([2 * np.ones(N), -np.ones(N - 1), -np.ones(N - 1)], [0, -1, 1], format="csr")
P2 = sp.kronsum(P1, P1).tocsr()
np.random.seed(1234)
RAND = np.random.rand(4, 4)
np.random.seed(1234)
RAND_SYM = np.random.rand(4, 4)
RAND_SYM = RAND_SYM + RAND_SYM.T
np.random.seed(1234)
RAND_SPD = np.random.rand(9, 9)
RAND_SPD = RAND_SPD @ RAND_SPD.T
NONSYM = sp.diags([2 * np.ones(10), -np.ones(9)], [0, -1], format="csr")
SYM_NONPD = np.array(
    [
        [0, 0, 0, 0, 0, 1, -1, -0, -0, -0, -0],
        [0, 0, 0, 0, 0, 2, -0, -1, -0, -0, -0],
        [0, 0, 0, 0, 0, 2, -0, -0, -1, -0, -0],
        [0, 0, 0, 0, 0, 2, -0, -0, -0, -1, -0],
        [0, 0, 0, 0, 0, 1, -0, -0, -0, -0, -1],
        [1, 2, 2, 2, 1, 0, -0, -0, -0, -0, -0],
        [-1, 0, 0, 0, 0, 0, -1, -0, -0, -0, -0],
        [0, -1, 0, 0, 0, 0, -0, -1, -0, -0, -0],
        [0, 0, -1, 0, 0, 0, -0, -0, -1, -0, -0],
        [0, 0, 0, -1, 0, 0, -0, -0, -0, -1, -0],
        [0, 0, 0, 0, -1, 0, -0, -0, -0, -0, -1],
    ],
    dtype=float,
)
SYM_NONPD_B = np.array([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0], dtype=float)


def construction(kind, A):
    A = sp.csr_matrix(A)
    return {"construction": kind, "rows": A.shape[0], "nnz": int(A.nnz), "sum": float(A.sum()), "sumAbs": float(abs(A).sum())}


# (name, matrix description, A, b, skip, nonconvergence) — the lists are SciPy's, cut to
# gmres/bicgstab/minres: sym_solvers = [minres, cg], posdef_solvers = [cg].
CASES = [
    ("poisson1d", construction("poisson1d", P1), P1, None, [], []),
    ("neg-poisson1d", construction("-poisson1d", -P1), -P1, None, [], []),
    ("poisson2d", construction("poisson2d", P2), P2, None, ["minres"], []),
    ("rand-diag", {"dense": dense(sp.diags([[6, -5, 2, 7, -1, 10, 4, -3, -8, 9]], [0]))}, sp.diags([[6.0, -5, 2, 7, -1, 10, 4, -3, -8, 9]], [0]).tocsr(), None, [], []),
    ("rand", {"dense": dense(RAND)}, RAND, None, ["minres"], []),
    ("rand-sym", {"dense": dense(RAND_SYM)}, RAND_SYM, None, [], []),
    ("rand-sym-pd", {"dense": dense(RAND_SPD)}, RAND_SPD, None, [], []),
    ("nonsymposdef", {"dense": dense(NONSYM)}, NONSYM, None, ["minres"], []),
    ("sym-nonpd", {"dense": dense(SYM_NONPD)}, SYM_NONPD, SYM_NONPD_B, [], ["bicgstab"]),
]
CONSTRUCTIONS = {
    "poisson1d": "tridiag(-1, 2, -1) of order 40 (SciPy: spdiags([2, -1, -1], [0, -1, 1], 40, 40)); solvewasm: gallery.poisson([40])",
    "-poisson1d": "minus poisson1d",
    "poisson2d": "kronsum(poisson1d, poisson1d): the 5-point delsq on a 40 x 40 grid, 1600 rows; solvewasm: gallery.poisson([40, 40])",
}
OMITTED = [
    {"cases": "poisson1d, neg-poisson1d, poisson2d, rand-diag, rand, rand-sym, rand-sym-pd, nonsymposdef in float32 (tol 1e-2)", "why": "solvewasm is float64 only"},
    {"cases": "rand-cmplx, rand-cmplx-herm, rand-cmplx-sym-pd (and float32)", "why": "complex; solvewasm is real"},
    {"cases": "test_maxiter_worsening", "why": "complex matrix"},
    {"cases": "test_atol, test_x0_equals_Mb, test_reentrancy, TestGMRES.test_abi/test_atol_legacy/test_restrt_dep", "why": "SciPy API specifics (atol='legacy', x0='Mb', re-entrancy, complex)"},
]


def main():
    cases = []
    for name, desc, A, b, skip, nonconv in CASES:
        n = A.shape[0]
        b = np.arange(n, dtype=float) if b is None else b
        x0 = np.zeros(n)
        for sname, solver in SOLVERS.items():
            expect = "skip" if sname in skip else "fail" if sname in nonconv else "converge"
            res, x = run(solver, A, b, x0, TOL, restart=GMRES_RESTART)
            case = {"id": f"{name}-{sname}", "case": name, "solver": sname, "matrix": desc, "b": floats(b), "x0": "zeros", "rtol": TOL, "atol": 0.0}
            if sname == "gmres":
                case["restart"] = GMRES_RESTART
            case["expect"] = expect
            case["scipy"] = res
            if expect == "fail":
                # SciPy's check: info != 0 and ‖A·x − b‖ ≤ ‖b‖
                case["scipy"]["residualNotAboveB"] = bool(np.linalg.norm(A @ x - b) <= np.linalg.norm(b))
            if sname != "gmres":
                case["scipy"]["firstPassing"] = first_passing(solver, A, b, x0, TOL)
            if expect == "converge":
                case["scipy"]["maxiterOne"] = maxiter_one(solver, A, b, x0)
            cases.append(case)

    # check_precond_inverse: M = A⁻¹ on poisson1d and poisson2d; "nearly instant": ≤ 3 products.
    precond_inverse = []
    for name, A, skip in (("poisson1d", P1, []), ("poisson2d", P2, ["minres"])):
        n = A.shape[0]
        b = np.arange(n, dtype=float)
        Ad = A.toarray()
        M = LinearOperator(A.shape, matvec=lambda v, Ad=Ad: np.linalg.solve(Ad, v), dtype=float)
        for sname, solver in SOLVERS.items():
            if sname in skip:
                continue
            res, _ = run(solver, A, b, np.zeros(n), TOL, restart=GMRES_RESTART, M=M)
            precond_inverse.append({"case": name, "solver": sname, "M": "exact inverse", "rtol": TOL, "expect": {"converged": True, "maxMatvecs": 3}, "scipy": res})

    # test_x0_working: a random SPD 10 x 10 (np.random.seed(1)), rtol 1e-6, without and with x0.
    np.random.seed(1)
    A = np.random.rand(10, 10)
    A = A @ A.T
    b = np.random.rand(10)
    x0 = np.random.rand(10)
    x0_working = {"matrix": {"dense": dense(A)}, "b": floats(b), "x0": floats(x0), "rtol": 1e-6, "runs": []}
    for sname, solver in SOLVERS.items():
        for start in ("zeros", "x0"):
            res, _ = run(solver, A, b, np.zeros(10) if start == "zeros" else x0, 1e-6, restart=GMRES_RESTART)
            x0_working["runs"].append({"solver": sname, "start": start, "restart": GMRES_RESTART if sname == "gmres" else None, "expect": "converge", "scipy": res})

    # TestGMRES
    V = np.vander(np.arange(10) + 1)[:, ::-1].astype(float)
    e0 = np.zeros(10)
    e0[0] = 1
    xb, _ = gmres(V, e0, restart=5, maxiter=1, tol=1e-5, atol=0.0, callback_type="pr_norm")
    T = np.array([[-2, 1, 0, 0, 0, 0], [1, -2, 1, 0, 0, 0], [0, 1, -2, 1, 0, 0], [0, 0, 1, -2, 1, 0], [0, 0, 0, 1, -2, 1], [0, 0, 0, 0, 1, -2]], dtype=float)
    seen = []
    gmres(T, np.ones(6), x0=np.zeros(6), tol=1e-16, atol=0.0, maxiter=1, restart=GMRES_RESTART, callback=seen.append, callback_type="pr_norm")
    D = np.array([[0, 1, 0], [1, 0, 0], [0, 0, 0]], dtype=float)
    bd = np.array([1.0, 0, 1])
    xd, infod = gmres(D, bd, tol=1e-8, atol=0.0, restart=GMRES_RESTART, callback_type="pr_norm", callback=lambda r: None)
    Mp = np.eye(3)
    Mp[2, 2] = 0
    Ap = np.diag([2.0, 3, 4])
    bp = np.array([0.0, 1, 1])
    xp, infop = gmres(Ap, bp, x0=np.array([1.0, 0, 0]), M=Mp, tol=1e-15, atol=0.0, restart=GMRES_RESTART)
    gmres_tests = {
        "basic": {
            "what": "vander(1..10) (columns 1, k, k^2, ...), b = e0, restart 5, one cycle (5 inner iterations): x[0] ≈ 0.359 (rtol 1e-2)",
            "matrix": {"dense": dense(V)},
            "b": floats(e0),
            "restart": 5,
            "maxiter": 5,
            "expect": {"x0": 0.359, "x0Rtol": 1e-2},
            "scipy": {"x": floats(xb)},
        },
        "callback": {
            "what": "tridiag(1, -2, 1) of order 6, b = 1, one inner iteration: residual norm 0.81649658092772603·‖b‖ (SciPy 1.0.0's value, rtol 1e-10)",
            "matrix": {"dense": dense(T)},
            "b": floats(np.ones(6)),
            "expect": {"relativeResidualAfter1": 0.81649658092772603, "rtol": 1e-10},
            "scipy": {"prNorm": [float(v) for v in seen]},
        },
        "defectiveMatrix": {
            "what": "singular A = [[0,1,0],[1,0,0],[0,0,0]], b = [1,0,1], rtol 1e-8: no NaN, no false success, A·A·x = A·b",
            "matrix": {"dense": dense(D)},
            "b": floats(bd),
            "rtol": 1e-8,
            "expect": {"converged": False, "finite": True},
            "scipy": {"info": int(infod), "x": floats(xd), "relres": relres(D, xd, bd)},
        },
        "defectivePreconditioner": {
            "what": "A = diag(2,3,4), M = diag(1,1,0), b = [0,1,1], x0 = [1,0,0], rtol 1e-15: no NaN, no false success, M·A·x = M·b",
            "matrix": {"dense": dense(Ap)},
            "M": {"dense": dense(Mp)},
            "b": floats(bp),
            "x0": [1.0, 0.0, 0.0],
            "rtol": 1e-15,
            "expect": {"finite": True},
            "scipy": {"info": int(infop), "x": floats(xp), "relres": relres(Ap, xp, bp)},
        },
    }

    # test_zero_rhs: b = 0 gives x = 0 (info 0) for every rtol, with x0 = 0 and x0 = 1.
    zero_rhs = {"what": "A = R·Rᵀ + 10I (R = rand(10, 10), np.random.seed(1234)), b = 0: x = 0, converged, for rtol 1e-10 … 1e2", "runs": []}
    np.random.seed(1234)
    R = np.random.rand(10, 10)
    Az = R @ R.T + 10 * np.eye(10)
    zero_rhs["matrix"] = {"dense": dense(Az)}
    for sname, solver in SOLVERS.items():
        for tol in np.logspace(-10, 2, 7):
            res, x = run(solver, Az, np.zeros(10), np.zeros(10), float(tol), restart=GMRES_RESTART)
            zero_rhs["runs"].append({"solver": sname, "rtol": float(tol), "scipy": {"info": res["info"], "maxAbsX": float(np.max(np.abs(x)))}})

    # orsirr_1, sherman5
    suitesparse = []
    for fname in ("orsirr_1.mtx", "sherman5.mtx"):
        A = sp.csr_matrix(scipy.io.mmread(os.path.join(ROOT, "test", "fixtures", "matrices", fname)))
        n = A.shape[0]
        b = A @ np.ones(n)
        x0 = np.zeros(n)
        entry = {"matrix": fname, "rows": n, "nnz": int(A.nnz), "b": "A·1", "x0": "zeros", "rtol": TOL, "atol": 0.0, "runs": []}
        res, _ = run(gmres, A, b, x0, TOL, restart=30, maxiter=1000)
        entry["runs"].append({"solver": "gmres", "restart": 30, "maxiterCycles": 1000, "maxiterInner": 30000, "scipy": res})
        res, _ = run(bicgstab, A, b, x0, TOL)
        entry["runs"].append({"solver": "bicgstab", "maxiter": 10 * n, "scipy": res})
        ilu = spilu(A.tocsc(), drop_tol=1e-4, fill_factor=10)
        M = LinearOperator(A.shape, matvec=ilu.solve, dtype=float)
        res, _ = run(gmres, A, b, x0, TOL, restart=30, maxiter=1000, M=M)
        res["iluNnz"] = int(ilu.L.nnz + ilu.U.nnz)
        entry["runs"].append({"solver": "gmres", "restart": 30, "maxiterCycles": 1000, "M": "spilu(A, drop_tol=1e-4, fill_factor=10), left", "scipy": res})
        suitesparse.append(entry)

    out = {
        "source": "tools/scipy-iterative.py: SciPy's scipy/sparse/linalg/_isolve/tests/test_iterative.py cases, run with the SciPy below",
        "scipy": scipy.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "counting": {
            "iterations": "gmres: callback_type='pr_norm' calls (inner iterations); bicgstab, minres: callback(x) calls (iterations)",
            "matvecs": "every product with A, including initial and restart residuals",
            "firstPassing": "bicgstab, minres: first iteration with ‖b − A·x‖ ≤ rtol·‖b‖",
        },
        "constructions": CONSTRUCTIONS,
        "omitted": OMITTED,
        "cases": cases,
        "precondInverse": precond_inverse,
        "x0Working": x0_working,
        "gmres": gmres_tests,
        "zeroRhs": zero_rhs,
        "suitesparse": suitesparse,
    }
    json.dump(out, sys.stdout, indent=1, allow_nan=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
