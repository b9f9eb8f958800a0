"""File exports: the de-identified funder report (PDF, XLSX) and the row-level exports of the
program's own records (referrals XLSX, HMIS-comparable CSV). Services in ``outcomes.services`` call
these inside the transaction that ledgers the export."""
