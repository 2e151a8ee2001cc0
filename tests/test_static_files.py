"""A static file a browser already holds is answered 304 with its file closed at once: WSGI sends no body
for a 304, so an open file would wait for the garbage collector (which warns, and holds a descriptor)."""


def test_a_304_leaves_no_file_open(app, client):
    with client.get("/static/favicon.svg") as first:
        etag = first.headers["ETag"]
    with app.test_request_context("/static/favicon.svg", headers={"If-None-Match": etag}):
        response = app.full_dispatch_request()
        assert response.status_code == 304
        assert response.response.file.closed  # the FileWrapper send_file opened
