"""The schema says what the API checks (articles.api.views.CachedForReaders): query
parameters given are not empty, page numbers and sizes count from 1, one order."""

from django.conf import settings


def strict_query_parameters(result: dict, generator, request, public) -> dict:
    """A drf-spectacular post-processing hook."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") != "query":
                    continue
                schema = parameter.setdefault("schema", {})
                if parameter["name"] == "ordering":
                    choices = schema.get("items", {}).get("enum", [])
                    parameter["schema"] = schema = {"type": "string", "enum": choices}
                    parameter.pop("explode", None)
                    parameter.pop("style", None)
                if schema.get("type") == "string" and "enum" not in schema:
                    schema["minLength"] = 1
                if schema.get("type") == "integer":
                    schema["minimum"] = 1
                    if parameter["name"] == "page_size":
                        schema["maximum"] = settings.ARTICLES_API_MAX_PAGE_SIZE
    return result
