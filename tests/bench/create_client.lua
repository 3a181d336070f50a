-- wrk script: POST a new client (a durable write: one fsync per commit).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"family_name":"Bench","given_name":"Write","citizenship":"UA","a_number":"A123456789"}'
