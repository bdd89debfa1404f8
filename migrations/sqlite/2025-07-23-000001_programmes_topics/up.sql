-- Loans of the Social Policy Bank's other programmes (issue 24, point 4). Existing loans are
-- Decision 22/2023/QĐ-TTg loans; `programme_name` names an `other` programme.
ALTER TABLE loans ADD COLUMN programme TEXT NOT NULL DEFAULT 'decision_22';
ALTER TABLE loans ADD COLUMN programme_name TEXT;
-- Outreach topics as data (point 5); the free `topic` stays as the title.
ALTER TABLE outreach_events ADD COLUMN topic_code TEXT NOT NULL DEFAULT 'other';
