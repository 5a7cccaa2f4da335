"""A client built from /api/openapi.json can read Askwell's 422 answers."""

from __future__ import annotations


def test_a_422_answer_has_the_shape_the_published_schema_gives_it(practitioner_client):
    schema = practitioner_client.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/v1/me"]["put"]
    documented = operation["responses"]["422"]["content"]["application/json"]["schema"]
    name = documented["$ref"].rsplit("/", 1)[-1]
    error_schema = schema["components"]["schemas"][name]

    answer = practitioner_client.put("/api/v1/me", json={"display_name": "x" * 1000})
    assert answer.status_code == 422
    body = answer.json()
    assert set(body) == set(error_schema["properties"]) == {"detail"}
    assert error_schema["properties"]["detail"]["type"] == "string"
    assert isinstance(body["detail"], str) and "name" in body["detail"]
