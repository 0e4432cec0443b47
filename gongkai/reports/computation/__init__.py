"""The annual report computed from the records: the interchange format, the tables of each year's format,
their consistency checks, and building a report on behalf of a person (services.report_build)."""
