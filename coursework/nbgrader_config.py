# nbgrader configuration of the course: the lessons are nbgrader assignments
# for the GoNB kernel (kernel language "go"). The scripts next to this file
# run nbgrader with this directory as the working directory; the course
# directory (source/, release/, submitted/, autograded/, gradebook.db) is
# COURSE_NBGRADER_ROOT, by default coursework/build.
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from nbconvert.preprocessors import ClearMetadataPreprocessor  # noqa: E402
from nbgrader.preprocessors import (  # noqa: E402
    AssignLatePenalties, CheckCellMetadata, ClearHiddenTests, ClearMarkScheme, ClearOutput,
    ComputeChecksums, DeduplicateIds, Execute, IgnorePattern, IncludeHeaderFooter,
    InstantiateTests, LimitOutput, LockCells, OverwriteCells, OverwriteKernelspec,
    SaveAutoGrades, SaveCells)

from gonbgrader import ArmGrading, ClearSolutionsKeepingStubs, SanitizeGoNB, VerifyGrading  # noqa: E402

c = get_config()  # noqa: F821

here = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "dslessons"
c.CourseDirectory.root = os.path.abspath(os.environ.get("COURSE_NBGRADER_ROOT", os.path.join(here, "build")))

# Go in solution and hidden-test regions: `// BEGIN SOLUTION` ... `// END SOLUTION`
# and `// BEGIN HIDDEN TESTS` ... `// END HIDDEN TESTS` (nbgrader finds the
# delimiters anywhere in a line, so Go comments work as they are).
c.ClearSolutions.begin_solution_delimeter = "BEGIN SOLUTION"
c.ClearSolutions.end_solution_delimeter = "END SOLUTION"
c.ClearHiddenTests.begin_test_delimeter = "BEGIN HIDDEN TESTS"
c.ClearHiddenTests.end_test_delimeter = "END HIDDEN TESTS"
# The stub for a solution region whose cell has no stub of its own
# (coursework/build.py records one for every lesson answer cell). A comment
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

# Grading. Every cell gets at most COURSE_GRADE_TIMEOUT seconds (an endless
# loop is interrupted and the cell scores 0); test cells a student deleted
# are put back; GoNB special commands in student cells are disabled; a test
# cell counts only if its checks left valid stamps (see gonbgrader.py).
timeout = int(os.environ.get("COURSE_GRADE_TIMEOUT", "60"))
c.Execute.timeout = timeout
c.Execute.interrupt_on_timeout = True
c.Execute.startup_timeout = 120
c.VerifyGrading.time_limit = timeout
c.OverwriteCells.add_missing_cells = True
c.Autograde.sanitize_preprocessors = [
    ClearOutput,
    DeduplicateIds,
    OverwriteKernelspec,
    OverwriteCells,
    SanitizeGoNB,
    CheckCellMetadata,
]
c.Autograde.autograde_preprocessors = [
    ArmGrading,
    Execute,
    VerifyGrading,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]
