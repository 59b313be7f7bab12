"""Cities where migrants live and their IANA time zones (shared/domain.md §4).

Kazakhstan moved to one zone on 1 March 2024: Almaty is UTC+5, one hour behind Bishkek.
City names are in locales (`city-<key>`).
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class City:
    key: str
    country: str  # kg, ru, kz
    timezone: str

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


CITIES: tuple[City, ...] = (
    City("moscow", "ru", "Europe/Moscow"),
    City("spb", "ru", "Europe/Moscow"),
    City("samara", "ru", "Europe/Samara"),
    City("yekaterinburg", "ru", "Asia/Yekaterinburg"),
    City("novosibirsk", "ru", "Asia/Novosibirsk"),
    City("krasnoyarsk", "ru", "Asia/Krasnoyarsk"),
    City("irkutsk", "ru", "Asia/Irkutsk"),
    City("vladivostok", "ru", "Asia/Vladivostok"),
    City("almaty", "kz", "Asia/Almaty"),
    City("bishkek", "kg", "Asia/Bishkek"),
    City("osh", "kg", "Asia/Bishkek"),
)
CITY_BY_KEY = {city.key: city for city in CITIES}
DEFAULT_TIMEZONE = "Europe/Moscow"  # most migrants are in Russia


def city(key: str | None) -> City | None:
    return CITY_BY_KEY.get(key or "")
