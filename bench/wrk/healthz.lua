-- GET /healthz: liveness, no auth, no database. The baseline every other scenario is
-- compared with (the cost of HTTP + actix + wrk itself on this machine).
wrk.method = "GET"
wrk.path = "/healthz"
wrk.headers["Accept"] = "application/json"
