DROP TABLE loan_checks;
DROP TABLE loan_events;
DROP TABLE loan_postings;
DROP TABLE loans;
DROP TABLE loan_list_entries;
DROP TABLE loan_lists;
DROP TABLE loan_rates;
