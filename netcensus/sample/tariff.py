"""What a leased line costs in the sample city, and its contract dates.

Monthly fees in CNY grow sub-linearly with bandwidth and linearly with distance,
which is how carriers quote MSTP/SDH/MPLS lines; dark fibre is priced per km and
internet access per Mbit/s. The figures are plausible for a Chinese prefecture-level
city, not any carrier's real price list.
"""

from __future__ import annotations

import datetime as dt
import random

#: kind -> (fixed, per Mbit/s ** 0.75, per km) in CNY per month
_TARIFF: dict[str, tuple[float, float, float]] = {
    "mstp": (600.0, 38.0, 25.0),
    "sdh": (900.0, 55.0, 40.0),
    "mpls_vpn": (500.0, 42.0, 8.0),
    "dark_fibre": (900.0, 0.0, 1100.0),
    "internet": (1200.0, 95.0, 0.0),
}


def monthly_fee(kind: str, bandwidth_mbps: float, distance_km: float) -> float:
    """The monthly fee of a line, rounded to 10 CNY.

    >>> monthly_fee("mstp", 100, 5)
    1930.0
    >>> monthly_fee("dark_fibre", 1000, 3.2)
    4420.0
    """
    fixed, per_bw, per_km = _TARIFF[kind]
    fee = fixed + per_bw * bandwidth_mbps ** 0.75 + per_km * distance_km
    return float(round(fee / 10) * 10)


def route_km(crow_km: float) -> float:
    """Cable route length from the straight-line distance (streets are not straight)."""
    return round(max(0.5, crow_km * 1.3), 1)


def add_years(day: dt.date, years: int) -> dt.date:
    """``day`` moved by whole years (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def contract(rng: random.Random, today: dt.date, *, years: int = 3,
             ends_in_days: tuple[int, int] = (150, 900)) -> tuple[dt.date, dt.date]:
    """(start, end) of a contract that ends well after ``today``'s notice window.

    Ends are at least 150 days away, so no contract of the city falls inside its
    notice period unless a plant puts it there.
    """
    end = today + dt.timedelta(days=rng.randint(*ends_in_days))
    return add_years(end, -years), end
