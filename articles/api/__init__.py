"""The read-only JSON API at /api/: published articles of both editions, and the
tags, sections, authors and sources they are listed under (Django REST framework,
OpenAPI schema by drf-spectacular). Reader code: it imports reads only."""
