import Testing
@testable import MedicRunbook
