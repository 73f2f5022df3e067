"""Gate delay into an RC load by effective capacitance, and the wire delay and slew to each load.

The driver is modelled as a saturated ramp (start ``t0``, duration ``dt``) behind a resistance
``Rd`` driving the net's pi model (C2, Rpi, C1; :mod:`tapeout.signoff.pi_model`). The effective
capacitance ``Ceff`` is the lumped load that draws the same average current as the pi model over
the ramp; ``t0``, ``dt`` and ``Ceff`` are solved together (Newton-Raphson) so that the ramp into
``Ceff`` crosses the table's 50 % and 20 % points at the table's times (Dartu, Menezes & Pileggi,
"Performance computation for precharacterized CMOS gates with RC loads", IEEE TCAD 15(5), 1996;
the low slew threshold is matched instead of the paper's 20 % point, as OpenSTA's ``dmp_ceff``
calculators do). The gate delay is the NLDM table's at ``Ceff``; the driver slew is measured on the
pi-model output waveform ``vo(t)``. ``Rd`` is the table's delay slope around 0.75 of the total
capacitance.

At each load the waveform ``vo`` passes through one more pole at ``1 / elmore``; the wire delay is
the load's 50 % crossing minus the driver's, the load slew its 20-80 % time. Three cases, as in
OpenSTA (the reference this project's timing is checked against): a resistance-free or negligible
network is a lumped capacitance (wire delay = Elmore, slew = driver slew); C2 near zero leaves one
pole and one zero; else the full pi model (two poles, one zero). Thresholds are the library's
(50 % delay, 20/80 % slew). Units: ns, pF, kohm.

Newton-Raphson stops when every step is within 1 % of its variable and crossings are found by
a safeguarded Newton search to 1 % of the time, as in the reference implementation, so that both
stop at the same iterate.
"""

import math

import numba
import numpy as np

from tapeout.tech.process import DELAY_THRESHOLD_PCT, SLEW_LOWER_PCT, SLEW_UPPER_PCT

from .delay import lookup

__all__ = ["gate_delay_slew", "load_delay_slew", "port_load_delay_slew", "new_state"]

VTH = DELAY_THRESHOLD_PCT / 100.0
VL = SLEW_LOWER_PCT / 100.0
VH = SLEW_UPPER_PCT / 100.0
PARAM_TOL = 0.01
TIME_TOL = 0.01
ROOT_ITERATIONS = 20
NEWTON_ITERATIONS = 100

CAP, ZERO_C2, PI = 0, 1, 2
# state vector layout
S_KIND, S_RD, S_C1, S_C2, S_RPI, S_T0, S_DT, S_CEFF, S_P1, S_P2, S_K0, S_K1, S_K2, S_K3, S_K4, \
    S_VO_DELAY, S_GATE_SLEW, S_VALID, S_A, S_B, S_D, S_P3, S_VCROSS = range(23)
STATE_SIZE = 23


def new_state():
    """A scratch state vector for :func:`gate_delay_slew` / :func:`load_delay_slew`."""
    return np.zeros(STATE_SIZE)


@numba.njit(cache=True)
def _table(delay_table, slew_table, in_slew, cap, i1, s1, i2, s2, values):
    d = lookup(delay_table, in_slew, cap, i1, s1, i2, s2, values)
    s = in_slew if slew_table < 0 else lookup(slew_table, in_slew, cap, i1, s1, i2, s2, values)
    return d, s


@numba.njit(cache=True)
def _y0(t, rd, cl):
    return t - rd * cl * (1.0 - math.exp(-t / (rd * cl)))


@numba.njit(cache=True)
def _y0dt(t, rd, cl):
    return 1.0 - math.exp(-t / (rd * cl))


@numba.njit(cache=True)
def _y0dcl(t, rd, cl):
    x = t / (rd * cl)
    return rd * ((1.0 + x) * math.exp(-x) - 1.0)


@numba.njit(cache=True)
def _ramp(t, t0, dt, rd, cl):
    """Response of a ramp (t0, dt) through rd into cl, normalised to the supply."""
    t1 = t - t0
    if t1 <= 0.0:
        return 0.0
    if t1 <= dt:
        return _y0(t1, rd, cl) / dt
    return (_y0(t1, rd, cl) - _y0(t1 - dt, rd, cl)) / dt


@numba.njit(cache=True)
def _ramp_partials(t, t0, dt, rd, cl):
    """(d/dt0, d/ddt, d/dcl) of :func:`_ramp` as the reference implementation forms them."""
    t1 = t - t0
    if t1 <= 0.0:
        return 0.0, 0.0, 0.0
    if t1 <= dt:
        return (-_y0dt(t1, rd, cl) / dt, -_y0(t1, rd, cl) / (dt * dt), _y0dcl(t1, rd, cl) / dt)
    return (-(_y0dt(t1, rd, cl) - _y0dt(t1 - dt, rd, cl)) / dt,
            -(_y0(t1, rd, cl) + _y0(t1 - dt, rd, cl)) / (dt * dt) + _y0dt(t1 - dt, rd, cl) / dt,
            (_y0dcl(t1, rd, cl) - _y0dcl(t1 - dt, rd, cl)) / dt)


@numba.njit(cache=True)
def _table_points(st, ceff, delay_table, slew_table, in_slew, i1, s1, i2, s2, values):
    """Table delay (50 % time), 20 % time and 20-80 % slew at ceff."""
    t_vth, slew = _table(delay_table, slew_table, in_slew, ceff, i1, s1, i2, s2, values)
    t_vl = t_vth - slew * (VTH - VL) / (VH - VL)
    return t_vth, t_vl, slew


@numba.njit(cache=True)
def _equations(st, x, f, jac, delay_table, slew_table, in_slew, i1, s1, i2, s2, values):
    """Residuals and Jacobian of the driver equations at x = (t0, dt[, ceff]); False if out of range."""
    rd = st[S_RD]
    t0, dt = x[0], x[1]
    if st[S_KIND] == PI:
        ceff = x[2]
        c1, c2 = st[S_C1], st[S_C2]
        if ceff > c1 + c2 or ceff < 0.0:
            return False
        t_vth, t_vl, slew = _table_points(st, ceff, delay_table, slew_table, in_slew, i1, s1, i2, s2, values)
        ceff_time = slew / (VH - VL)
        if ceff_time > 1.4 * dt:
            ceff_time = 1.4 * dt
        if dt <= 0.0:
            return False
        p1, p2, a, b, d = st[S_P1], st[S_P2], st[S_A], st[S_B], st[S_D]
        e1, e2, e3 = math.exp(-p1 * ceff_time), math.exp(-p2 * ceff_time), math.exp(-ceff_time / (rd * ceff))
        ipi = (a * ceff_time + (b / p1) * (1.0 - e1) + (d / p2) * (1.0 - e2)) / (rd * ceff_time * dt)
        iceff = (rd * ceff * ceff_time - (rd * ceff) ** 2 * (1.0 - e3)) / (rd * ceff_time * dt)
        f[2] = ipi - iceff
        f[1] = _ramp(t_vth, t0, dt, rd, ceff) - VTH
        f[0] = _ramp(t_vl, t0, dt, rd, ceff) - VL
        g1, g2, g3 = math.exp(-p1 * dt), math.exp(-p2 * dt), math.exp(-dt / (rd * ceff))
        jac[2, 0] = 0.0
        jac[2, 1] = (-a * dt + b * dt * g1 - (2 * b / p1) * (1.0 - g1) + d * dt * g2 - (2 * d / p2) * (1.0 - g2)
                     + rd * ceff * (dt + dt * g3 - 2 * rd * ceff * (1.0 - g3))) / (rd * dt ** 3)
        jac[2, 2] = (2 * rd * ceff - dt - (2 * rd * ceff + dt) * g3) / (dt * dt)
        jac[0, 0], jac[0, 1], jac[0, 2] = _ramp_partials(t_vl, t0, dt, rd, ceff)
        jac[1, 0], jac[1, 1], jac[1, 2] = _ramp_partials(t_vth, t0, dt, rd, ceff)
        return True
    ceff = st[S_CEFF]
    t_vth, t_vl, slew = _table_points(st, ceff, delay_table, slew_table, in_slew, i1, s1, i2, s2, values)
    if dt <= 0.0:
        dt = x[1] = (t_vl - t_vth) / 100.0
    f[1] = _ramp(t_vth, t0, dt, rd, ceff) - VTH
    f[0] = _ramp(t_vl, t0, dt, rd, ceff) - VL
    jac[0, 0], jac[0, 1], _ = _ramp_partials(t_vl, t0, dt, rd, ceff)
    jac[1, 0], jac[1, 1], _ = _ramp_partials(t_vth, t0, dt, rd, ceff)
    return True


@numba.njit(cache=True)
def _solve_driver(st, ceff, delay_table, slew_table, in_slew, i1, s1, i2, s2, values):
    """Newton-Raphson for (t0, dt[, ceff]) from the table's ramp at ceff; stores them in st."""
    n = 3 if st[S_KIND] == PI else 2
    rd = st[S_RD]
    t_vth, t_vl, slew = _table_points(st, ceff, delay_table, slew_table, in_slew, i1, s1, i2, s2, values)
    dt = slew / (VH - VL)
    x = np.zeros(n)
    x[0] = t_vth + math.log(1.0 - VTH) * rd * ceff - VTH * dt
    x[1] = dt
    if n == 3:
        x[2] = ceff
    f = np.zeros(n)
    jac = np.zeros((n, n))
    for _ in range(NEWTON_ITERATIONS):
        if not _equations(st, x, f, jac, delay_table, slew_table, in_slew, i1, s1, i2, s2, values):
            return False
        for i in range(n):
            if np.all(jac[i] == 0.0):
                return False
        step = np.linalg.solve(jac, -f)
        done = True
        for i in range(n):
            if abs(step[i]) > abs(x[i]) * PARAM_TOL:
                done = False
            x[i] += step[i]
        if done:
            st[S_T0], st[S_DT] = x[0], x[1]
            if n == 3:
                st[S_CEFF] = x[2]
            return True
    return False


@numba.njit(cache=True)
def _v0(st, t):
    """Output (driver pin) response to a unit ramp, and its derivative."""
    k0, k1, k2, k3, p1 = st[S_K0], st[S_K1], st[S_K2], st[S_K3], st[S_P1]
    if st[S_KIND] == PI:
        k4, p2 = st[S_K4], st[S_P2]
        return (k0 * (k1 + k2 * t + k3 * math.exp(-p1 * t) + k4 * math.exp(-p2 * t)),
                k0 * (k2 - k3 * p1 * math.exp(-p1 * t) - k4 * p2 * math.exp(-p2 * t)))
    return k0 * (k1 + k2 * t + k3 * math.exp(-p1 * t)), k0 * (k2 - k3 * p1 * math.exp(-p1 * t))


@numba.njit(cache=True)
def _vl0(st, t):
    """Load response (one more pole at p3 = 1 / elmore) to a unit ramp, and its derivative."""
    k0, k1, k2, k3, p1, p3 = st[S_K0], st[S_K1], st[S_K2], st[S_K3], st[S_P1], st[S_P3]
    d1 = k0 * (k1 - k2 / p3)
    d3 = -p3 * k0 * k3 / (p1 - p3)
    d5 = k0 * (k2 / p3 - k1 + p3 * k3 / (p1 - p3))
    v = d1 + t + d3 * math.exp(-p1 * t)
    dv = 1.0 - d3 * p1 * math.exp(-p1 * t)
    if st[S_KIND] == PI:
        k4, p2 = st[S_K4], st[S_P2]
        d4 = -p3 * k0 * k4 / (p2 - p3)
        d5 += k0 * p3 * k4 / (p2 - p3)
        v += d4 * math.exp(-p2 * t)
        dv -= d4 * p2 * math.exp(-p2 * t)
    return v + d5 * math.exp(-p3 * t), dv - d5 * p3 * math.exp(-p3 * t)


@numba.njit(cache=True)
def _wave(st, t, at_load):
    """The ramp response at the driver (vo) or at the load (vl) minus the threshold sought; derivative."""
    t1 = t - st[S_T0]
    dt = st[S_DT]
    if t1 <= 0.0:
        return -st[S_VCROSS], 0.0
    a, da = _vl0(st, t1) if at_load else _v0(st, t1)
    if t1 > dt:
        b, db = _vl0(st, t1 - dt) if at_load else _v0(st, t1 - dt)
        a, da = a - b, da - db
    return a / dt - st[S_VCROSS], da / dt


@numba.njit(cache=True)
def _crossing(st, v, upper, at_load):
    """Time the waveform crosses v, between t0 and `upper` (safeguarded Newton); nan if not found."""
    st[S_VCROSS] = v
    x1, x2 = st[S_T0], upper
    y1, _ = _wave(st, x1, at_load)
    y2, _ = _wave(st, x2, at_load)
    if (y1 > 0.0 and y2 > 0.0) or (y1 < 0.0 and y2 < 0.0):
        return np.nan
    if y1 == 0.0:
        return x1
    if y2 == 0.0:
        return x2
    if y1 > 0.0:
        x1, x2 = x2, x1
    root = 0.5 * (x1 + x2)
    dx_prev = abs(x2 - x1)
    dx = dx_prev
    y, dy = _wave(st, root, at_load)
    for _ in range(ROOT_ITERATIONS):
        if ((root - x2) * dy - y) * ((root - x1) * dy - y) > 0.0 or abs(2.0 * y) > abs(dx_prev * dy):
            dx_prev = dx
            dx = 0.5 * (x2 - x1)
            root = x1 + dx
        else:
            dx_prev = dx
            dx = y / dy
            root -= dx
        if abs(dx) <= TIME_TOL * abs(root):
            return root
        y, dy = _wave(st, root, at_load)
        if y < 0.0:
            x1 = root
        else:
            x2 = root
    return np.nan


@numba.njit(cache=True)
def _vo_upper(st):
    c = st[S_C1] + (st[S_C2] if st[S_KIND] == PI else 0.0)
    return st[S_T0] + st[S_DT] + c * (st[S_RD] + st[S_RPI]) * 2.0


@numba.njit(cache=True)
def gate_delay_slew(st, delay_table, slew_table, in_slew, c2, rpi, c1, i1, s1, i2, s2, values):
    """Delay and driver slew of one arc driving a pi model; ``st`` keeps the driver waveform for
    :func:`load_delay_slew`."""
    total = c1 + c2
    cap1 = total * 0.75
    cap2 = cap1 * 1.1
    rd = 0.0
    if cap2 > cap1:
        d1 = lookup(delay_table, in_slew, cap1, i1, s1, i2, s2, values)
        d2 = lookup(delay_table, in_slew, cap2, i1, s1, i2, s2, values)
        rd = abs(d1 - d2) / (cap2 - cap1)
    st[:] = 0.0
    st[S_RD], st[S_C1], st[S_C2], st[S_RPI] = rd, c1, c2, rpi
    # rd below 10 mohm (1e-5 kohm): a table that ignores the load
    if rd < 1e-5 or rpi < rd * 1e-3 or c1 == 0.0 or c1 < c2 * 1e-3 or rpi == 0.0:
        st[S_KIND] = CAP
        st[S_CEFF] = total
        d, s = _table(delay_table, slew_table, in_slew, total, i1, s1, i2, s2, values)
        st[S_GATE_SLEW] = s
        return d, s
    if c2 < c1 * 1e-3:
        st[S_KIND] = ZERO_C2
        z1 = 1.0 / (rpi * c1)
        p1 = 1.0 / (c1 * (rd + rpi))
        st[S_P1] = p1
        st[S_K0] = p1 / z1
        st[S_K2] = z1 / p1
        st[S_K1] = (p1 - z1) / (p1 * p1)
        st[S_K3] = -st[S_K1]
        st[S_CEFF] = c1
        valid = _solve_driver(st, c1, delay_table, slew_table, in_slew, i1, s1, i2, s2, values)
        st[S_VALID] = 1.0 if valid else 0.0
        if valid:
            upper = _vo_upper(st)
            d = _crossing(st, VTH, upper, False)
            tl = _crossing(st, VL, upper, False)
            th = _crossing(st, VH, upper, False)
            if not (np.isnan(d) or np.isnan(tl) or np.isnan(th)):
                st[S_VO_DELAY] = d
                st[S_GATE_SLEW] = th - tl
                return d, th - tl
        d, s = _table(delay_table, slew_table, in_slew, c1, i1, s1, i2, s2, values)
        st[S_VALID] = 0.0
        st[S_GATE_SLEW] = s
        return d, s
    st[S_KIND] = PI
    z1 = 1.0 / (rpi * c1)
    st[S_K0] = 1.0 / (rd * c2)
    a = rpi * rd * c1 * c2
    b = rd * (c1 + c2) + rpi * c1
    root = math.sqrt(b * b - 4 * a)
    p1 = (b + root) / (2 * a)
    p2 = (b - root) / (2 * a)
    p1p2 = p1 * p2
    k2 = z1 / p1p2
    k1 = (1.0 - k2 * (p1 + p2)) / p1p2
    k4 = (k1 * p1 + k2) / (p2 - p1)
    st[S_P1], st[S_P2], st[S_K1], st[S_K2], st[S_K4], st[S_K3] = p1, p2, k1, k2, k4, -k1 - k4
    z = (c1 + c2) / (rpi * c1 * c2)
    st[S_A] = z / p1p2
    st[S_B] = (z - p1) / (p1 * (p1 - p2))
    st[S_D] = (z - p2) / (p2 * (p2 - p1))
    if _solve_driver(st, total, delay_table, slew_table, in_slew, i1, s1, i2, s2, values):
        st[S_VALID] = 1.0
        d, table_slew = _table(delay_table, slew_table, in_slew, st[S_CEFF], i1, s1, i2, s2, values)
        upper = _vo_upper(st)
        vo_d = _crossing(st, VTH, upper, False)
        tl = _crossing(st, VL, upper, False)
        th = _crossing(st, VH, upper, False)
        if np.isnan(vo_d) or np.isnan(tl) or np.isnan(th):
            s = table_slew
        else:
            st[S_VO_DELAY] = vo_d
            s = th - tl
        st[S_GATE_SLEW] = s
        return d, s
    st[S_CEFF] = total
    d, s = _table(delay_table, slew_table, in_slew, total, i1, s1, i2, s2, values)
    st[S_GATE_SLEW] = s
    return d, s


@numba.njit(cache=True)
def load_delay_slew(st, elmore):
    """Wire delay and slew at a load with Elmore delay ``elmore`` from the driver of the last
    :func:`gate_delay_slew` call on ``st``."""
    gate_slew = st[S_GATE_SLEW]
    if st[S_KIND] == CAP or elmore == 0.0:
        return elmore, gate_slew
    if elmore < gate_slew * 1e-3:
        return elmore, gate_slew
    if st[S_VALID] == 0.0:
        return elmore, gate_slew
    st[S_P3] = 1.0 / elmore
    upper = _vo_upper(st) + elmore
    t = _crossing(st, VTH, upper, True)
    tl = _crossing(st, VL, upper, True)
    th = _crossing(st, VH, upper, True)
    if np.isnan(t) or np.isnan(tl) or np.isnan(th):
        return elmore, gate_slew
    delay = t - st[S_VO_DELAY]
    slew = th - tl
    if delay < 0.0:
        delay = elmore
    if slew < gate_slew:
        slew = gate_slew
    return delay, slew


@numba.njit(cache=True)
def port_load_delay_slew(port_slew, elmore):
    """Wire delay and slew at a load of a top-level input port (no driving cell): the Elmore delay as
    the time constant of an exponential."""
    return -elmore * math.log(1.0 - VTH), port_slew + elmore * math.log((1.0 - VL) / (1.0 - VH))
