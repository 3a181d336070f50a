-- The issue date of a document whose validity the rules cap from it (a (c)(11) work permit is
-- valid for the parole period or one year from issue, whichever is shorter).
ALTER TABLE expirations ADD COLUMN issued_on TEXT;
