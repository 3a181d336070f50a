-- Work permit categories (issue 12). The one-year cap of H.R. 1 (Pub. L. 119-21, 4 Jul 2025)
-- applies to the parole-based category (c)(11) only, to cards issued from its effective date;
-- 8 CFR 274a.12(c)(11) only defines the category. Other categories ((a)(12) TPS, (c)(8) asylum
-- pending, (c)(9) adjustment pending, (c)(19), ...) end on the card's own date. So a work
-- permit records its category, and a deadline rule may be limited to one.

-- The category of an `ead` expiry and of an I-765 filing (domain/ead_category.c lists them;
-- NULL: not recorded, taken as (c)(11) by the engine).
ALTER TABLE expirations ADD COLUMN ead_category TEXT;
ALTER TABLE filings ADD COLUMN ead_category TEXT;

-- A rule limited to one work permit category (NULL: any), and whether its deadline is capped
-- at the parole end (a permit that rests on the parole ends with it).
ALTER TABLE deadline_rules ADD COLUMN ead_category TEXT;
ALTER TABLE deadline_rules ADD COLUMN cap_at_parole_end INTEGER NOT NULL DEFAULT 0
    CHECK (cap_at_parole_end IN (0, 1));

-- (c)(11) before H.R. 1: valid for the parole period (capped at the parole end), no fixed
-- length. Its rule is matched on the card's issue date (its expiry date when none is known).
UPDATE deadline_rules SET
    ead_category = 'c11', cap_at_parole_end = 1, days = NULL, effective_to = '2025-07-04',
    description = 'Work permit in category (c)(11) (parole) issued before 4 July 2025: valid for the parole period at most; the end shown is the card''s date or the parole end, whichever comes first.',
    citation_source = '8 CFR 274a.12(c)(11); 8 CFR 274a.12(c)',
    updated_at = '2026-12-07T00:00:00Z', version = version + 1
WHERE code = 'ead_c11';

INSERT INTO deadline_rules (code, kind, description, program, days, mailed_extra_days,
    opens_days_before, lead_times, enabled, effective_from, effective_to, citation_source,
    citation_date, created_at, updated_at, ead_category, cap_at_parole_end) VALUES
('ead_c11_hr1', 'ead_end',
 'Work permit in category (c)(11) (parole) issued on or after 4 July 2025: valid for one year or the parole period, whichever is shorter; the end shown is the earliest of the card''s date, a year after its issue date and the parole end.',
 NULL, 365, 0, NULL, '[120,90,60,30,14,7,1,0]', 1, '2025-07-04', NULL,
 'H.R. 1, Pub. L. 119-21 (4 July 2025): employment authorization of parolees', '2025-07-04',
 '2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', 'c11', 1),
('ead_general', 'ead_end',
 'Work permit in any other category ((a)(12) or (c)(19) TPS, (c)(8) asylum pending, (c)(9) adjustment pending, ...): the card''s own date; not capped at the parole end.',
 NULL, NULL, 0, NULL, '[120,90,60,30,14,7,1,0]', 1, '2000-01-01', NULL,
 '8 CFR 274a.12(a), (c); 8 CFR 274a.13', '2024-04-01',
 '2026-12-07T00:00:00Z', '2026-12-07T00:00:00Z', NULL, 0);
