"""Inter-coder agreement: every standard coefficient, from raw data or from a project's codings."""

from .coefficients import (
                           LEVELS,
                           PERCENT_DEFINITIONS,
                           SCALES,
                           WEIGHTS,
                           agreement_weights,
                           benchmark_probabilities,
                           brennan_prediger,
                           cohen_kappa,
                           coincidence_matrix,
                           conger_kappa,
                           fleiss_kappa,
                           gwet_ac1,
                           gwet_ac2,
                           krippendorff_alpha,
                           percent_agreement,
                           randolph_kappa,
                           scott_pi,
                           weighted_kappa,
)
from .inputs import Ratings
from .project import (
                           agreement_table,
                           bootstrap_alpha,
                           disagreements,
                           interpret,
                           reconcile,
                           segment_agreement,
)
from .unitized import unitized_alpha

__all__ = ["percent_agreement", "cohen_kappa", "weighted_kappa", "scott_pi", "fleiss_kappa",
           "conger_kappa", "brennan_prediger", "randolph_kappa", "gwet_ac1", "gwet_ac2",
           "krippendorff_alpha", "coincidence_matrix", "agreement_weights", "benchmark_probabilities",
           "Ratings", "PERCENT_DEFINITIONS", "SCALES", "LEVELS", "WEIGHTS", "unitized_alpha",
           "agreement_table", "disagreements", "reconcile", "segment_agreement", "interpret",
           "bootstrap_alpha"]
