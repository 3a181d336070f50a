-- A deadline marked handled is handled for the due date it had then (issue 15): some deadline
-- ids stand for a series (every change of address gives clients/N/address_change_report a new
-- date), and a mark must not silence the next occurrence, nor outlive a due date that moved.
-- The readers count a mark only while handled_due_on is the deadline's due_on.
ALTER TABLE deadline_triage ADD COLUMN handled_due_on TEXT;
UPDATE deadline_triage SET handled_due_on = (SELECT min(d.due_on) FROM deadlines d
    WHERE d.deadline_id = deadline_triage.deadline_id) WHERE handled_at IS NOT NULL;
