-- Give contacts their new record keys from the registered frame `rekeyed`
-- (contact_id, record_key).
-- Parameters: none
UPDATE contacts SET record_key = k.record_key
FROM rekeyed AS k
WHERE contacts.contact_id = k.contact_id
