-- Each history row and each dated attribute statement carries the day it stopped being in
-- force (`valid_until`, exclusive; NULL while current), so "the status/value on day D" is a
-- range condition instead of a latest-row-per-person search. Triggers keep it exact for
-- every writer (API, imports, demo data), in the writer's transaction.
ALTER TABLE person_status_history ADD COLUMN valid_until DATE;
UPDATE person_status_history SET valid_until =
    (SELECT n.occurred_on FROM person_status_history n
     WHERE n.person_id = person_status_history.person_id AND n.seq = person_status_history.seq + 1);

CREATE TRIGGER status_history_interval AFTER INSERT ON person_status_history
BEGIN
    UPDATE person_status_history SET valid_until = NEW.occurred_on
    WHERE person_id = NEW.person_id AND seq = NEW.seq - 1;
    UPDATE person_status_history SET valid_until =
        (SELECT n.occurred_on FROM person_status_history n WHERE n.person_id = NEW.person_id AND n.seq = NEW.seq + 1)
    WHERE id = NEW.id;
END;
CREATE INDEX status_history_managed ON person_status_history(occurred_on, valid_until)
    WHERE to_status IN ('received', 'under_management');

-- Attribute statements may be back-dated: order is (changed_on, id), ids being time-ordered.
ALTER TABLE person_attribute_changes ADD COLUMN valid_until DATE;
UPDATE person_attribute_changes SET valid_until =
    (SELECT MIN(s.changed_on) FROM person_attribute_changes s
     WHERE s.person_id = person_attribute_changes.person_id AND s.attribute = person_attribute_changes.attribute
       AND (s.changed_on > person_attribute_changes.changed_on
            OR (s.changed_on = person_attribute_changes.changed_on AND s.id > person_attribute_changes.id)));

CREATE TRIGGER attribute_change_interval AFTER INSERT ON person_attribute_changes
BEGIN
    UPDATE person_attribute_changes SET valid_until =
        (SELECT MIN(s.changed_on) FROM person_attribute_changes s
         WHERE s.person_id = NEW.person_id AND s.attribute = NEW.attribute
           AND (s.changed_on > NEW.changed_on OR (s.changed_on = NEW.changed_on AND s.id > NEW.id)))
    WHERE id = NEW.id;
    UPDATE person_attribute_changes SET valid_until = NEW.changed_on
    WHERE id = (SELECT p.id FROM person_attribute_changes p
                WHERE p.person_id = NEW.person_id AND p.attribute = NEW.attribute
                  AND (p.changed_on < NEW.changed_on OR (p.changed_on = NEW.changed_on AND p.id < NEW.id))
                ORDER BY p.changed_on DESC, p.id DESC LIMIT 1);
END;
