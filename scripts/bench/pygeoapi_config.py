"""Prints a pygeoapi 0.21 configuration serving the PostGIS copy of the benchmark parcels as
features (PostgreSQL provider) and as vector tiles (MVT-postgresql provider).

usage: python3 pygeoapi_config.py DBNAME MIN_LON,MIN_LAT,MAX_LON,MAX_LAT > pygeoapi.yml
"""
import json
import sys

db, extent = sys.argv[1], [float(v) for v in sys.argv[2].split(",")]
data = {"host": "127.0.0.1", "port": 5432, "dbname": db, "user": "postgres", "password": "bench",
        "search_path": ["public"]}
config = {
    "server": {
        "bind": {"host": "127.0.0.1", "port": 18081},
        "url": "http://127.0.0.1:18081",
        "mimetype": "application/json; charset=UTF-8",
        "encoding": "utf-8",
        "languages": ["en-US"],
        "limits": {"default_items": 10, "max_items": 1000},
        "map": {"url": "http://127.0.0.1/{z}/{x}/{y}.png", "attribution": "none"},
    },
    "logging": {"level": "ERROR"},
    "metadata": {
        "identification": {"title": "bench", "description": "bench", "keywords": ["bench"],
                           "keywords_type": "theme", "terms_of_service": "none",
                           "url": "http://127.0.0.1"},
        "license": {"name": "none", "url": "http://127.0.0.1"},
        "provider": {"name": "bench", "url": "http://127.0.0.1"},
        "contact": {"name": "bench"},
    },
    "resources": {
        "parcels": {
            "type": "collection",
            "title": "parcels",
            "description": "synthetic parcels",
            "keywords": ["parcels"],
            "extents": {"spatial": {"bbox": extent,
                                    "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84"}},
            "providers": [
                {"type": "feature", "name": "PostgreSQL", "data": data, "id_field": "fid",
                 "table": "parcels", "geom_field": "geom"},
                {"type": "tile", "name": "MVT-postgresql", "data": data, "id_field": "fid",
                 "table": "parcels", "geom_field": "geom",
                 "options": {"zoom": {"min": 0, "max": 16}},
                 "format": {"name": "pbf", "mimetype": "application/vnd.mapbox-vector-tile"}},
            ],
        }
    },
}
# YAML is a superset of JSON: pygeoapi reads this as it is.
print(json.dumps(config, indent=1, ensure_ascii=False))
