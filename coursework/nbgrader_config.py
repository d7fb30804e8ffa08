# nbgrader configuration of the course: the lessons are nbgrader assignments
# for the GoNB kernel (kernel language "go"). The scripts next to this file
# run nbgrader with this directory as the working directory; the course
# directory (source/, release/, submitted/, autograded/, gradebook.db) is
# COURSE_NBGRADER_ROOT, by default coursework/build. Autograding through
# this configuration — ./coursework/autograde.sh, `nbgrader autograde` or
# formgrader — runs every notebook in the bubblewrap sandbox and lets the
# judge, outside it, decide (gonbgrader.py).
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from nbconvert.preprocessors import ClearMetadataPreprocessor  # noqa: E402
from nbgrader.preprocessors import (  # noqa: E402
    AssignLatePenalties, CheckCellMetadata, ClearHiddenTests, ClearMarkScheme, ClearOutput,
    ComputeChecksums, DeduplicateIds, IncludeHeaderFooter, InstantiateTests, LimitOutput,
    LockCells, OverwriteKernelspec, SaveAutoGrades, SaveCells)

from gonbgrader import (  # noqa: E402
    ApplyVerdicts, ClearSolutionsKeepingStubs, GoOverwriteCells, RestoreGradingMetadata,
    SandboxedExecute, SanitizeGoNB, StartJudge)

c = get_config()  # noqa: F821

here = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "dslessons"
c.CourseDirectory.root = os.path.abspath(os.environ.get("COURSE_NBGRADER_ROOT", os.path.join(here, "build")))

# Go in solution regions: `// BEGIN SOLUTION` ... `// END SOLUTION` (nbgrader
# finds the delimiters anywhere in a line, so Go comments work as they are).
# Hidden tests do not live in notebooks: the judge draws them at grading time.
c.ClearSolutions.begin_solution_delimeter = "BEGIN SOLUTION"
c.ClearSolutions.end_solution_delimeter = "END SOLUTION"
c.ClearHiddenTests.begin_test_delimeter = "BEGIN HIDDEN TESTS"
c.ClearHiddenTests.end_test_delimeter = "END HIDDEN TESTS"
# The stub for a solution region whose cell has no stub of its own
# (coursework.py records one for every lesson answer cell). A comment
# compiles anywhere; the check that follows then fails cleanly.
c.ClearSolutions.code_stub = {"go": "// YOUR CODE HERE"}

c.GenerateAssignment.preprocessors = [
    IncludeHeaderFooter,
    InstantiateTests,
    LockCells,
    ClearSolutionsKeepingStubs,
    ClearOutput,
    CheckCellMetadata,
    ComputeChecksums,
    SaveCells,
    ClearHiddenTests,
    ClearMarkScheme,
    ComputeChecksums,
    CheckCellMetadata,
]

# Grading. Every cell gets at most COURSE_GRADE_TIMEOUT seconds (then it is
# interrupted), every notebook COURSE_NOTEBOOK_BUDGET seconds in all.
c.Execute.timeout = int(os.environ.get("COURSE_GRADE_TIMEOUT", "60"))
c.Execute.interrupt_on_timeout = True
c.Execute.startup_timeout = 120
c.SandboxedExecute.timeout = c.Execute.timeout
c.SandboxedExecute.interrupt_on_timeout = True
c.SandboxedExecute.startup_timeout = 120
c.SandboxedExecute.notebook_budget = int(os.environ.get("COURSE_NOTEBOOK_BUDGET", "900"))
c.GoOverwriteCells.add_missing_cells = True
c.Autograde.sanitize_preprocessors = [
    ClearOutput,
    DeduplicateIds,
    OverwriteKernelspec,
    RestoreGradingMetadata,
    GoOverwriteCells,
    SanitizeGoNB,
    CheckCellMetadata,
]
c.Autograde.autograde_preprocessors = [
    StartJudge,
    SandboxedExecute,
    ApplyVerdicts,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]
