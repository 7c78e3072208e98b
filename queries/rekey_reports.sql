-- Give reports their new record keys from the registered frame `rekeyed`
-- (report_id, record_key).
-- Parameters: none
UPDATE reports SET record_key = k.record_key
FROM rekeyed AS k
WHERE reports.report_id = k.report_id
