-- Appends a group of deliveries in one statement, so a group costs one round trip and one
-- commit (the caller runs it outside an explicit transaction). Rows come flattened in
-- arrival order, each tagged with its delivery's index in the group. The advisory lock is
-- held until the commit, so sequence numbers commit in order; an event id seen before, or
-- earlier in the group, is a duplicate. Returns the events stored, with their delivery.
CREATE FUNCTION bridge_append_group(
  lock_key bigint,
  deliveries integer[],
  event_ids text[],
  bodies text[],
  received_ats bigint[],
  channel text,
  payload text
) RETURNS TABLE (out_delivery integer, out_seq bigint, out_event_id text)
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(lock_key);
  RETURN QUERY
  WITH input AS (
    SELECT DISTINCT ON (t.event_id) t.delivery, t.event_id, t.body, t.received_at, t.ord
    FROM unnest(deliveries, event_ids, bodies, received_ats) WITH ORDINALITY AS t(delivery, event_id, body, received_at, ord)
    ORDER BY t.event_id, t.ord
  ), fresh AS (
    INSERT INTO bridge_seen_event_ids AS s (event_id, received_at)
    SELECT i.event_id, i.received_at FROM input i
    ON CONFLICT DO NOTHING
    RETURNING s.event_id
  ), added AS (
    INSERT INTO bridge_events AS e (event_id, received_at, body)
    SELECT i.event_id, i.received_at, i.body FROM input i JOIN fresh f ON f.event_id = i.event_id ORDER BY i.ord
    RETURNING e.seq, e.event_id
  )
  SELECT i.delivery, a.seq, a.event_id FROM added a JOIN input i ON i.event_id = a.event_id ORDER BY a.seq;
  IF FOUND THEN
    PERFORM pg_notify(channel, payload);
  END IF;
END
$$;
