"""Assertions shared by the HTTP tests."""


def assert_error(resp, status: int, code: str) -> dict:
    """The response is claimcheck's one error body with this status and code; returns the error object."""
    assert resp.status_code == status, resp.get_data(as_text=True)
    assert resp.is_json
    body = resp.get_json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]
