"""Texas counties by FIPS code, and ZIP code centroids from the maintained ``zipcodes`` package.

No external geocoder: a ZIP code's centroid is a coarse point, which is exactly what the directory wants
(a confidential shelter is placed at its ZIP centroid, never at its door).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import zipcodes

# Texas county FIPS codes (state 48). Census-assigned, stable; the county list of the service area.
TEXAS_COUNTIES: dict[str, str] = {
    "48001": "Anderson",
    "48003": "Andrews",
    "48005": "Angelina",
    "48007": "Aransas",
    "48009": "Archer",
    "48011": "Armstrong",
    "48013": "Atascosa",
    "48015": "Austin",
    "48017": "Bailey",
    "48019": "Bandera",
    "48021": "Bastrop",
    "48023": "Baylor",
    "48025": "Bee",
    "48027": "Bell",
    "48029": "Bexar",
    "48031": "Blanco",
    "48033": "Borden",
    "48035": "Bosque",
    "48037": "Bowie",
    "48039": "Brazoria",
    "48041": "Brazos",
    "48043": "Brewster",
    "48045": "Briscoe",
    "48047": "Brooks",
    "48049": "Brown",
    "48051": "Burleson",
    "48053": "Burnet",
    "48055": "Caldwell",
    "48057": "Calhoun",
    "48059": "Callahan",
    "48061": "Cameron",
    "48063": "Camp",
    "48065": "Carson",
    "48067": "Cass",
    "48069": "Castro",
    "48071": "Chambers",
    "48073": "Cherokee",
    "48075": "Childress",
    "48077": "Clay",
    "48079": "Cochran",
    "48081": "Coke",
    "48083": "Coleman",
    "48085": "Collin",
    "48087": "Collingsworth",
    "48089": "Colorado",
    "48091": "Comal",
    "48093": "Comanche",
    "48095": "Concho",
    "48097": "Cooke",
    "48099": "Coryell",
    "48101": "Cottle",
    "48103": "Crane",
    "48105": "Crockett",
    "48107": "Crosby",
    "48109": "Culberson",
    "48111": "Dallam",
    "48113": "Dallas",
    "48115": "Dawson",
    "48117": "Deaf Smith",
    "48119": "Delta",
    "48121": "Denton",
    "48123": "DeWitt",
    "48125": "Dickens",
    "48127": "Dimmit",
    "48129": "Donley",
    "48131": "Duval",
    "48133": "Eastland",
    "48135": "Ector",
    "48137": "Edwards",
    "48139": "Ellis",
    "48141": "El Paso",
    "48143": "Erath",
    "48145": "Falls",
    "48147": "Fannin",
    "48149": "Fayette",
    "48151": "Fisher",
    "48153": "Floyd",
    "48155": "Foard",
    "48157": "Fort Bend",
    "48159": "Franklin",
    "48161": "Freestone",
    "48163": "Frio",
    "48165": "Gaines",
    "48167": "Galveston",
    "48169": "Garza",
    "48171": "Gillespie",
    "48173": "Glasscock",
    "48175": "Goliad",
    "48177": "Gonzales",
    "48179": "Gray",
    "48181": "Grayson",
    "48183": "Gregg",
    "48185": "Grimes",
    "48187": "Guadalupe",
    "48189": "Hale",
    "48191": "Hall",
    "48193": "Hamilton",
    "48195": "Hansford",
    "48197": "Hardeman",
    "48199": "Hardin",
    "48201": "Harris",
    "48203": "Harrison",
    "48205": "Hartley",
    "48207": "Haskell",
    "48209": "Hays",
    "48211": "Hemphill",
    "48213": "Henderson",
    "48215": "Hidalgo",
    "48217": "Hill",
    "48219": "Hockley",
    "48221": "Hood",
    "48223": "Hopkins",
    "48225": "Houston",
    "48227": "Howard",
    "48229": "Hudspeth",
    "48231": "Hunt",
    "48233": "Hutchinson",
    "48235": "Irion",
    "48237": "Jack",
    "48239": "Jackson",
    "48241": "Jasper",
    "48243": "Jeff Davis",
    "48245": "Jefferson",
    "48247": "Jim Hogg",
    "48249": "Jim Wells",
    "48251": "Johnson",
    "48253": "Jones",
    "48255": "Karnes",
    "48257": "Kaufman",
    "48259": "Kendall",
    "48261": "Kenedy",
    "48263": "Kent",
    "48265": "Kerr",
    "48267": "Kimble",
    "48269": "King",
    "48271": "Kinney",
    "48273": "Kleberg",
    "48275": "Knox",
    "48277": "Lamar",
    "48279": "Lamb",
    "48281": "Lampasas",
    "48283": "La Salle",
    "48285": "Lavaca",
    "48287": "Lee",
    "48289": "Leon",
    "48291": "Liberty",
    "48293": "Limestone",
    "48295": "Lipscomb",
    "48297": "Live Oak",
    "48299": "Llano",
    "48301": "Loving",
    "48303": "Lubbock",
    "48305": "Lynn",
    "48307": "McCulloch",
    "48309": "McLennan",
    "48311": "McMullen",
    "48313": "Madison",
    "48315": "Marion",
    "48317": "Martin",
    "48319": "Mason",
    "48321": "Matagorda",
    "48323": "Maverick",
    "48325": "Medina",
    "48327": "Menard",
    "48329": "Midland",
    "48331": "Milam",
    "48333": "Mills",
    "48335": "Mitchell",
    "48337": "Montague",
    "48339": "Montgomery",
    "48341": "Moore",
    "48343": "Morris",
    "48345": "Motley",
    "48347": "Nacogdoches",
    "48349": "Navarro",
    "48351": "Newton",
    "48353": "Nolan",
    "48355": "Nueces",
    "48357": "Ochiltree",
    "48359": "Oldham",
    "48361": "Orange",
    "48363": "Palo Pinto",
    "48365": "Panola",
    "48367": "Parker",
    "48369": "Parmer",
    "48371": "Pecos",
    "48373": "Polk",
    "48375": "Potter",
    "48377": "Presidio",
    "48379": "Rains",
    "48381": "Randall",
    "48383": "Reagan",
    "48385": "Real",
    "48387": "Red River",
    "48389": "Reeves",
    "48391": "Refugio",
    "48393": "Roberts",
    "48395": "Robertson",
    "48397": "Rockwall",
    "48399": "Runnels",
    "48401": "Rusk",
    "48403": "Sabine",
    "48405": "San Augustine",
    "48407": "San Jacinto",
    "48409": "San Patricio",
    "48411": "San Saba",
    "48413": "Schleicher",
    "48415": "Scurry",
    "48417": "Shackelford",
    "48419": "Shelby",
    "48421": "Sherman",
    "48423": "Smith",
    "48425": "Somervell",
    "48427": "Starr",
    "48429": "Stephens",
    "48431": "Sterling",
    "48433": "Stonewall",
    "48435": "Sutton",
    "48437": "Swisher",
    "48439": "Tarrant",
    "48441": "Taylor",
    "48443": "Terrell",
    "48445": "Terry",
    "48447": "Throckmorton",
    "48449": "Titus",
    "48451": "Tom Green",
    "48453": "Travis",
    "48455": "Trinity",
    "48457": "Tyler",
    "48459": "Upshur",
    "48461": "Upton",
    "48463": "Uvalde",
    "48465": "Val Verde",
    "48467": "Van Zandt",
    "48469": "Victoria",
    "48471": "Walker",
    "48473": "Waller",
    "48475": "Ward",
    "48477": "Washington",
    "48479": "Webb",
    "48481": "Wharton",
    "48483": "Wheeler",
    "48485": "Wichita",
    "48487": "Wilbarger",
    "48489": "Willacy",
    "48491": "Williamson",
    "48493": "Wilson",
    "48495": "Winkler",
    "48497": "Wise",
    "48499": "Wood",
    "48501": "Yoakum",
    "48503": "Young",
    "48505": "Zapata",
    "48507": "Zavala",
}
COUNTY_FIPS_BY_NAME: dict[str, str] = {name.lower(): code for code, name in TEXAS_COUNTIES.items()}
_NAME_FIXES = {"de witt": "dewitt", "mclennan": "mclennan"}

EARTH_RADIUS_MILES = 3958.8
MILES_PER_DEGREE_LAT = 69.05


@dataclass(frozen=True)
class ZipPoint:
    zip_code: str
    lat: float
    lon: float
    county_fips: str


def county_fips(name: str) -> str:
    """ "Bexar County" or "bexar" -> "48029"; "" when unknown."""
    key = name.strip().lower().removesuffix(" county").strip()
    key = _NAME_FIXES.get(key, key)
    return COUNTY_FIPS_BY_NAME.get(key, "")


@lru_cache(maxsize=1)
def _zip_table() -> dict[str, ZipPoint]:
    table: dict[str, ZipPoint] = {}
    for row in zipcodes.list_all():  # type: ignore[no-untyped-call]
        try:
            lat, lon = float(row["lat"]), float(row["long"])
        except (TypeError, ValueError, KeyError):
            continue
        fips = county_fips(row.get("county", "")) if row.get("state") == "TX" else ""
        table[row["zip_code"]] = ZipPoint(row["zip_code"], lat, lon, fips)
    return table


def zip_point(zip_code: str) -> ZipPoint | None:
    """The centroid of a five-digit ZIP code, or None for anything else (never raises)."""
    code = (zip_code or "").strip()[:5]
    if len(code) != 5 or not code.isdigit():
        return None
    return _zip_table().get(code)


def zips_in_county(fips: str) -> list[ZipPoint]:
    return [p for p in _zip_table().values() if p.county_fips == fips]


def haversine_miles(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_MILES * math.asin(min(1.0, math.sqrt(a)))


def bounding_box(lat: float, lon: float, miles: float) -> tuple[float, float, float, float]:
    dlat = miles / MILES_PER_DEGREE_LAT
    dlon = miles / (MILES_PER_DEGREE_LAT * max(0.01, math.cos(math.radians(lat))))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


CELL_DEGREES = 0.25


def cell_of(lat: float, lon: float) -> int:
    """A quarter-degree grid cell as one integer (indexed), about 17 by 15 miles in Texas."""
    return math.floor((lat + 90) / CELL_DEGREES) * 10_000 + math.floor((lon + 180) / CELL_DEGREES)


def cells_around(lat: float, lon: float, miles: float) -> list[int]:
    south, north, west, east = bounding_box(lat, lon, miles)
    rows = range(math.floor((south + 90) / CELL_DEGREES), math.floor((north + 90) / CELL_DEGREES) + 1)
    cols = range(math.floor((west + 180) / CELL_DEGREES), math.floor((east + 180) / CELL_DEGREES) + 1)
    return [r * 10_000 + c for r in rows for c in cols]


@lru_cache(maxsize=512)
def county_centroid(fips: str) -> tuple[float, float] | None:
    """A fixed point for a county: the mean of its ZIP centroids (rounded to 0.01°). It depends on the
    county alone, so a confidential place measured from it tells nothing finer than its county."""
    points = zips_in_county(fips)
    if not points:
        return None
    lat = sum(p.lat for p in points) / len(points)
    lon = sum(p.lon for p in points) / len(points)
    return round(lat, 2), round(lon, 2)


# Distance bands for confidential places, in miles: a searcher learns only which band the county's
# fixed point falls in, never a distance to the place itself.
DISTANCE_BANDS = (10, 25, 50, 100)


def distance_band(miles: float) -> int | None:
    """The smallest band containing this distance ("within 25 mi"), or None beyond the last one."""
    for band in DISTANCE_BANDS:
        if miles <= band:
            return band
    return None
