"""A deterministic sample city for demos, tests and benchmarks.

``generate(out_dir, devices=80, seed=1)`` writes the fictional city of Xiyue (汐月市):
an inventory in the project's YAML format, the outputs of every declared device in
the real formats of Cisco IOS, Huawei VRP and H3C Comware, and ``planted.json``,
which lists the cases planted for the checks to find (and the clean ones they must
leave alone). The same arguments always give byte-identical files.
"""

from netcensus.sample.build import MIN_DEVICES
from netcensus.sample.generate import SampleCity, generate

__all__ = ["MIN_DEVICES", "SampleCity", "generate"]
