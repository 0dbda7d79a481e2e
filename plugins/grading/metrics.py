"""The standard progress metrics of a set of results (REQUIREMENTS §5):

- N counts the results of the five-point scale and н/а; осв. (exempt) and pass/fail results are
  outside N (they are counted apart), and so is a missing result;
- absolute progress (абсолютная успеваемость) = (n5 + n4 + n3) / N, in per cent;
- quality (качество знаний) = (n5 + n4) / N, in per cent;
- СОУ (степень обученности) = (n5·100 + n4·64 + n3·36 + n2·16 + nн/а·7) / N, in per cent;
- the mean mark over the 5-point results only (н/а has no value).

Д (academic debt) is an unsatisfactory result and counts as a 2.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from plugins.grading.rules import is_failing

SOU_WEIGHTS = {"5": 100, "4": 64, "3": 36, "2": 16, "na": 7}


@dataclass(frozen=True)
class Metrics:
    n5: int = 0
    n4: int = 0
    n3: int = 0
    n2: int = 0
    na: int = 0
    exempt: int = 0
    passed: int = 0
    failed: int = 0

    @property
    def total(self) -> int:
        """N: the results the percentages are of."""
        return self.n5 + self.n4 + self.n3 + self.n2 + self.na

    def _share(self, count: int) -> float | None:
        return round(100 * count / self.total, 1) if self.total else None

    @property
    def absolute(self) -> float | None:
        return self._share(self.n5 + self.n4 + self.n3)

    @property
    def quality(self) -> float | None:
        return self._share(self.n5 + self.n4)

    @property
    def sou(self) -> float | None:
        if not self.total:
            return None
        points = (self.n5 * SOU_WEIGHTS["5"] + self.n4 * SOU_WEIGHTS["4"]
                  + self.n3 * SOU_WEIGHTS["3"] + self.n2 * SOU_WEIGHTS["2"]
                  + self.na * SOU_WEIGHTS["na"])
        return round(points / self.total, 1)

    @property
    def mean(self) -> float | None:
        marks = self.n5 + self.n4 + self.n3 + self.n2
        if not marks:
            return None
        return round((5 * self.n5 + 4 * self.n4 + 3 * self.n3 + 2 * self.n2) / marks, 2)

    def row(self) -> list:
        """The counts and the metrics in the order of ``COLUMNS``."""
        return [self.total, self.n5, self.n4, self.n3, self.n2, self.na, self.exempt,
                self.absolute, self.quality, self.sou, self.mean]


def of(values: Iterable[str]) -> Metrics:
    """The metrics of stored result values ("5", "4", "3", "2", "na", "exempt", "debt", "pass",
    "fail"; empty ones are skipped)."""
    counts = Counter(values)
    return Metrics(n5=counts["5"], n4=counts["4"], n3=counts["3"],
                   n2=counts["2"] + counts["debt"], na=counts["na"], exempt=counts["exempt"],
                   passed=counts["pass"], failed=counts["fail"])


def category(values: Iterable[str]) -> str:
    """A student's standing by their results: "excellent" (only 5), "good" (4 and 5), "one_three"
    (a single 3, the rest 4 and 5), "satisfactory", "failing" (a 2, Д, н/а or не зачтено), or
    "none" when there is no result on the five-point scale (none yet, or only зачтено/осв.)."""
    given = [value for value in values if value]
    if any(is_failing(value) for value in given):
        return "failing"
    found = [value for value in given if value not in ("exempt", "pass")]
    if not found:
        return "none"
    threes = found.count("3")
    if threes == 0:
        return "excellent" if all(value == "5" for value in found) else "good"
    return "one_three" if threes == 1 else "satisfactory"
