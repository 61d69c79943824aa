"""The printed plan: reportlab renderers for the plan PDF and the referral PDF."""

from planner.pdf.lazy_pattern import leave_in_re_cache

leave_in_re_cache()  # before reportlab.platypus is imported by any module here
