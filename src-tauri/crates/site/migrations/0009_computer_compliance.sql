-- Patchdeck site database, schema 9: per-computer compliance counts for the Devices grid (issue 12).
-- Append-only: never edit a migration once landed.

-- What one computer reported, counted on its own row by the coarse `state` (0003), so a page of
-- 20,000 computers sorts on Needed or Failed without aggregating report rows. Needed counts
-- `Required` (the client's Needed, Downloaded and InstalledPendingRestart, as WSUS counts them);
-- Not applicable counts `NotRequired`. The same discipline as 0003's per-update counts holds:
-- writers change a state with INSERT ... ON CONFLICT DO UPDATE, never INSERT OR REPLACE.
ALTER TABLE computers ADD COLUMN needed_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE computers ADD COLUMN failed_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE computers ADD COLUMN installed_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE computers ADD COLUMN not_applicable_count INTEGER NOT NULL DEFAULT 0;

CREATE TRIGGER update_states_counted_on_computer AFTER INSERT ON update_states BEGIN
    UPDATE computers SET needed_count = needed_count + (NEW.state = 'Required'),
                         failed_count = failed_count + (NEW.state = 'Failed'),
                         installed_count = installed_count + (NEW.state = 'Installed'),
                         not_applicable_count = not_applicable_count + (NEW.state = 'NotRequired')
    WHERE computer_id = NEW.computer_id;
END;
CREATE TRIGGER update_states_uncounted_on_computer AFTER DELETE ON update_states BEGIN
    UPDATE computers SET needed_count = needed_count - (OLD.state = 'Required'),
                         failed_count = failed_count - (OLD.state = 'Failed'),
                         installed_count = installed_count - (OLD.state = 'Installed'),
                         not_applicable_count = not_applicable_count - (OLD.state = 'NotRequired')
    WHERE computer_id = OLD.computer_id;
END;
CREATE TRIGGER update_states_recounted_on_computer AFTER UPDATE OF state, computer_id ON update_states BEGIN
    UPDATE computers SET needed_count = needed_count - (OLD.state = 'Required'),
                         failed_count = failed_count - (OLD.state = 'Failed'),
                         installed_count = installed_count - (OLD.state = 'Installed'),
                         not_applicable_count = not_applicable_count - (OLD.state = 'NotRequired')
    WHERE computer_id = OLD.computer_id;
    UPDATE computers SET needed_count = needed_count + (NEW.state = 'Required'),
                         failed_count = failed_count + (NEW.state = 'Failed'),
                         installed_count = installed_count + (NEW.state = 'Installed'),
                         not_applicable_count = not_applicable_count + (NEW.state = 'NotRequired')
    WHERE computer_id = NEW.computer_id;
END;

-- States reported before this schema.
UPDATE computers SET
    needed_count = (SELECT count(*) FROM update_states s WHERE s.computer_id = computers.computer_id AND s.state = 'Required'),
    failed_count = (SELECT count(*) FROM update_states s WHERE s.computer_id = computers.computer_id AND s.state = 'Failed'),
    installed_count = (SELECT count(*) FROM update_states s WHERE s.computer_id = computers.computer_id AND s.state = 'Installed'),
    not_applicable_count = (SELECT count(*) FROM update_states s WHERE s.computer_id = computers.computer_id AND s.state = 'NotRequired');

-- The Devices grid's time sorts, led by the column so a first page reads one index range
-- (name already has its UNIQUE index).
CREATE INDEX computers_last_report ON computers(last_report_utc);
CREATE INDEX computers_last_scan ON computers(last_scan_utc);
