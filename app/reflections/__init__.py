"""A practitioner's private reflective record, and its export for appraisal and revalidation."""
